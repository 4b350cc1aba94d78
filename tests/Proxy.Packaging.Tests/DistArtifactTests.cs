using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MeshEdge.Packaging.Tests.Harness;

namespace MeshEdge.Packaging.Tests;

/// <summary>What `make dist` put in artifacts/dist: every artifact, its checksum, its version and its linkage.</summary>
public sealed partial class DistArtifactTests
{
    [Fact]
    public void EveryArtifactIsListedInSha256SumsWithItsHash()
    {
        var artifacts = Dist.BinaryVariants.Select(Dist.Binary)
            .Concat([Dist.Deb("amd64"), Dist.Deb("arm64"), Dist.Rpm("x86_64"), Dist.Rpm("aarch64")])
            .ToList();
        var sums = File.ReadAllLines(Dist.Sums)
            .Where(line => line.Length > 0)
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1], parts => parts[0]);

        foreach (var artifact in artifacts)
        {
            var name = Path.GetFileName(artifact);
            Assert.True(sums.TryGetValue(name, out var listed), $"SHA256SUMS does not list {name}");
            using var stream = File.OpenRead(artifact);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stream)), listed);
        }

        Assert.Equal(artifacts.Count, sums.Count);
    }

    [Theory]
    [InlineData("linux-x64")]
    [InlineData("linux-x64-static")]
    [InlineData("linux-arm64")]
    public void BinaryPrintsTheVersionFileAndACommit(string variant)
    {
        var binary = Dist.Binary(variant);
        CommandResult result;
        if (variant == "linux-arm64")
        {
            Arm64.EnsureTools();
            result = Command.Run(Arm64.Qemu, Arm64.Arguments(binary, "version"));
        }
        else
        {
            result = Command.Run(binary, ["version"]);
        }

        result.AssertSuccess("meshedge version");
        Assert.Matches($"^meshedge {Regex.Escape(Dist.Version)} \\(commit ([0-9a-f]{{7,40}}|unknown)\\)\n$", result.Stdout);
    }

    [Fact]
    public void StaticBinaryHasNoInterpreterAndNoSharedLibraries()
    {
        HostTools.Ensure("binutils");
        var binary = Dist.Binary("linux-x64-static");
        var headers = Command.Run("readelf", ["-l", "-d", "-W", binary]).AssertSuccess("readelf");
        Assert.DoesNotContain("INTERP", headers.Stdout);
        Assert.DoesNotContain("(NEEDED)", headers.Stdout);
        Assert.Contains("Advanced Micro Devices X86-64", Command.Run("readelf", ["-h", binary]).Stdout);
    }

    [Theory]
    [InlineData("linux-x64", "Advanced Micro Devices X86-64", "ld-linux-x86-64.so.2")]
    [InlineData("linux-arm64", "AArch64", "ld-linux-aarch64.so.1")]
    public void DynamicBinaryNeedsOnlyGlibc(string variant, string machine, string loader)
    {
        HostTools.Ensure("binutils");
        var binary = Dist.Binary(variant);
        Assert.Contains(machine, Command.Run("readelf", ["-h", binary]).AssertSuccess("readelf -h").Stdout);
        var needed = NeededLibrary().Matches(Command.Run("readelf", ["-d", "-W", binary]).AssertSuccess("readelf -d").Stdout)
            .Select(m => m.Groups[1].Value)
            .ToHashSet();
        Assert.Subset(new HashSet<string> { "libc.so.6", "libm.so.6", loader }, needed);
    }

    [Fact]
    public void ManPageCoversEveryCommandAndOptionOfHelp()
    {
        var help = Command.Run(Dist.Binary("linux-x64"), ["--help"]).AssertSuccess("meshedge --help").Stdout;
        var page = File.ReadAllText(Dist.InRepo("packaging", "common", "meshedge.1")).Replace("\\-", "-");
        var section = "";
        var missing = new List<string>();
        foreach (var line in help.Split('\n'))
        {
            if (line.EndsWith(':') && !line.StartsWith(' '))
            {
                section = line;
                continue;
            }

            var words = line.Trim().Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
            var names = section switch
            {
                // A command's name is indented by two; its description's further lines, by more.
                "Commands:" when line.StartsWith("  ") && !line.StartsWith("   ") && words.Length > 0 => words.Take(1),
                "Options:" => words.TakeWhile(w => w.StartsWith('-')),
                _ => [],
            };
            missing.AddRange(names.Where(name => !Regex.IsMatch(page, $@"(?<![\w-]){Regex.Escape(name)}(?![\w-])")));
        }

        Assert.True(missing.Count == 0, $"packaging/common/meshedge.1 does not mention: {string.Join(", ", missing)}\n--- meshedge --help\n{help}");
    }

    [Fact]
    public void PackagedConfigIsTheEmbeddedDefaultWithCommentsAndItsExampleIsValid()
    {
        using var scratch = new ScratchDirectory();
        var config = Path.Combine(scratch.Path, "meshedge.toml");
        var extracted = Command.Bash($"dpkg-deb --fsys-tarfile {Command.Quote(Dist.Deb("amd64"))} | tar -xO ./etc/meshedge/meshedge.toml > {Command.Quote(config)}");
        extracted.AssertSuccess("extract /etc/meshedge/meshedge.toml from the .deb");
        var text = File.ReadAllText(config);
        var embedded = File.ReadAllText(Dist.InRepo("src", "Proxy.Native", "Hosting", "default.toml"));
        Assert.Contains(embedded, text);
        Command.Run(Dist.Binary("linux-x64"), ["validate", "-c", config]).AssertSuccess("meshedge validate on the packaged config");

        // The commented example after the default must stay valid when someone uncomments it.
        var example = text[text.LastIndexOf("# ----", StringComparison.Ordinal)..].Split('\n')
            .Where(line => line.StartsWith("# [", StringComparison.Ordinal) || line.StartsWith("# name", StringComparison.Ordinal)
                || line.StartsWith("# address", StringComparison.Ordinal) || line.StartsWith("# cluster", StringComparison.Ordinal)
                || line.StartsWith("# hosts", StringComparison.Ordinal))
            .Select(line => line[2..]);
        var uncommented = Path.Combine(scratch.Path, "uncommented.toml");
        File.WriteAllText(uncommented, text + "\n" + string.Join("\n", example) + "\n");
        Command.Run(Dist.Binary("linux-x64"), ["validate", "-c", uncommented]).AssertSuccess("meshedge validate with the example uncommented");
        Assert.Contains("name = \"backend\"", File.ReadAllText(uncommented));
    }

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex NeededLibrary();
}
