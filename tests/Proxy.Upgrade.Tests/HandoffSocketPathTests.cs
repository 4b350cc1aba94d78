using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Upgrade.Tests;

public sealed class HandoffSocketPathTests
{
    [Fact]
    public void An_explicit_instance_names_the_socket()
    {
        Assert.Equal("/run/meshedge/meshedge-edge-1.sock", HandoffSocketPath.For("/run/meshedge", "edge-1", "/etc/meshedge/meshedge.toml"));
    }

    [Fact]
    public void Different_config_files_give_different_sockets()
    {
        var a = HandoffSocketPath.For("/run/meshedge", null, "/etc/meshedge/a.toml");
        var b = HandoffSocketPath.For("/run/meshedge", null, "/etc/meshedge/b.toml");

        Assert.NotEqual(a, b);
        Assert.Matches("^/run/meshedge/meshedge-[0-9a-f]{16}\\.sock$", a);
    }

    [Fact]
    public void The_same_file_named_relatively_gives_the_same_socket()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, "/etc/meshedge/a.toml");

        Assert.Equal(HandoffSocketPath.DeriveInstance("/etc/meshedge/a.toml"), HandoffSocketPath.DeriveInstance(relative));
    }

    [Fact]
    public void The_embedded_config_is_the_default_instance()
    {
        Assert.Equal("/tmp/x/meshedge-default.sock", HandoffSocketPath.For("/tmp/x", null, "<embedded default>"));
    }

    [Fact]
    public void A_created_directory_is_owner_only_and_a_shared_one_is_skipped()
    {
        var root = Directory.CreateTempSubdirectory("meshedge-uds-").FullName;
        try
        {
            var created = Path.Combine(root, "a", "b");
            Assert.Null(UdsDirectory.Prepare(created));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(created));

            var shared = Path.Combine(root, "shared");
            Directory.CreateDirectory(shared);
            File.SetUnixFileMode(shared, (UnixFileMode)Convert.ToInt32("777", 8));
            Assert.Equal("group or others may write there", UdsDirectory.Prepare(shared));

            var chosen = UdsDirectory.Resolve(shared, out var skipped);
            Assert.NotNull(chosen);
            Assert.NotEqual(shared, chosen);
            Assert.StartsWith(shared + ": ", Assert.Single(skipped));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
