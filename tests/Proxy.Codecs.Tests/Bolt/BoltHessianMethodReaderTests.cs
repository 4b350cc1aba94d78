using MeshEdge.Codecs.Bolt;

namespace MeshEdge.Codecs.Tests.Bolt;

/// <summary>
/// The method of hessian2 calls, read from the SofaRequest that opens the content. The byte strings
/// are what sofa-bolt-node's two hessian encoders (sofa-hessian-node v3, its default, and v4) wrote
/// for <c>echo("x")</c> on com.meshedge.Echo:1.0.
/// </summary>
public sealed class BoltHessianMethodReaderTests
{
    private const string DraftEncoding =
        "4fbc636f6d2e616c697061792e736f66612e7270632e636f72652e726571756573742e536f666152657175657374950a6d6574686f644e616d650d6d6574686f64417267536967731774617267657453657276696365556e697175654e616d650d7461726765744170704e616d650c7265717565737450726f70736f90046563686f567400115b6a6176612e6c616e672e537472696e676e01106a6176612e6c616e672e537472696e677a15636f6d2e6d657368656467652e4563686f3a312e304e4e0178";

    private const string FinalEncoding =
        "43302c636f6d2e616c697061792e736f66612e7270632e636f72652e726571756573742e536f666152657175657374950a6d6574686f644e616d650d6d6574686f64417267536967731774617267657453657276696365556e697175654e616d650d7461726765744170704e616d650c7265717565737450726f707360046563686f71115b6a6176612e6c616e672e537472696e67106a6176612e6c616e672e537472696e6715636f6d2e6d657368656467652e4563686f3a312e304e4e0178";

    [Theory]
    [InlineData(DraftEncoding)]
    [InlineData(FinalEncoding)]
    public void Both_encodings_give_the_method(string hex)
    {
        Assert.True(BoltHessianMethodReader.TryRead(Convert.FromHexString(hex), out var method));
        Assert.Equal("echo"u8.ToArray(), method.ToArray());
    }

    [Fact]
    public void A_method_after_other_fields_is_found_by_skipping_their_values()
    {
        // Java's field order: targetAppName (null), then methodName, in Hessian 2.0 final.
        var content = Concat(
            [(byte)'C', 0x30, 44], "com.alipay.sofa.rpc.core.request.SofaRequest"u8.ToArray(), [0x92],
            [13], "targetAppName"u8.ToArray(), [10], "methodName"u8.ToArray(),
            [0x60, (byte)'N', 8], "sayHello"u8.ToArray());

        Assert.True(BoltHessianMethodReader.TryRead(content, out var method));
        Assert.Equal("sayHello"u8.ToArray(), method.ToArray());
    }

    [Theory]
    [InlineData("h\u00e9llo")]
    [InlineData("\u65e5\u672c")]
    [InlineData("say\U0001F600")]
    public void A_method_that_is_not_ascii_is_read_by_its_utf16_length(string name)
    {
        // Hessian counts a string's length in UTF-16 units: fewer than its UTF-8 bytes here.
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        var content = Concat(
            [(byte)'C', 0x30, 44], "com.alipay.sofa.rpc.core.request.SofaRequest"u8.ToArray(), [0x91],
            [10], "methodName"u8.ToArray(),
            [0x60, (byte)name.Length], bytes, "trailing arguments"u8.ToArray());

        Assert.True(BoltHessianMethodReader.TryRead(content, out var method));
        Assert.Equal(bytes, method.ToArray());
    }

    [Fact]
    public void A_prefix_that_stops_before_the_method_finds_nothing()
    {
        var content = Convert.FromHexString(FinalEncoding);
        var methodAt = content.AsSpan().IndexOf("echo"u8);

        for (var length = 0; length < methodAt + 4; length++)
        {
            Assert.False(BoltHessianMethodReader.TryRead(content.AsSpan(0, length), out _));
        }
    }

    [Fact]
    public void Another_class_or_arbitrary_bytes_find_nothing()
    {
        var other = Convert.FromHexString(FinalEncoding);
        other[10] ^= 0x20; // one letter of the class name
        Assert.False(BoltHessianMethodReader.TryRead(other, out _));
        Assert.False(BoltHessianMethodReader.TryRead("not hessian at all"u8, out _));
        Assert.False(BoltHessianMethodReader.TryRead([0x43, 0xff, 0xff], out _));
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
