using MeshEdge.Config.Values;

namespace MeshEdge.Config.Tests;

public sealed class ByteSizeParserTests
{
    public static TheoryData<string, long> Valid => new()
    {
        { "0", 0 },
        { "16384", 16_384 },
        { "512B", 512 },
        { "1KB", 1_000 },
        { "1KiB", 1_024 },
        { "64KiB", 65_536 },
        { "1MB", 1_000_000 },
        { "1MiB", 1_048_576 },
        { "1.5MiB", 1_572_864 },
        { "0.5KiB", 512 },
        { "1 MiB", 1_048_576 },
        { "1024MiB", 1_073_741_824 },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parses_bytes_and_units(string text, long bytes)
    {
        Assert.True(ByteSizeParser.TryParse(text, out var value, out var problem), problem);
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("", "is not a size")]
    [InlineData("MiB", "is not a size")]
    [InlineData("-1", "is negative")]
    [InlineData("1GB", "is not a size")]
    [InlineData("1mib", "is not a size")]
    [InlineData("1Kb", "is not a size")]
    [InlineData("1  MiB", "is not a size")]
    [InlineData("1 ", "is not a size")]
    [InlineData("1.5B", "is not a whole number of bytes")]
    [InlineData("0.1KiB", "is not a whole number of bytes")]
    [InlineData("99999999999999999999MiB", "is too large")]
    public void Rejects_with_a_reason(string text, string expectedProblem)
    {
        Assert.False(ByteSizeParser.TryParse(text, out _, out var problem));
        Assert.Equal(expectedProblem, problem);
    }

    [Fact]
    public void Every_whole_amount_of_every_unit_round_trips()
    {
        var random = new Random(7);
        (string Unit, long Multiplier)[] units = [("", 1), ("B", 1), ("KB", 1_000), ("KiB", 1_024), ("MB", 1_000_000), ("MiB", 1_048_576)];
        for (var i = 0; i < 2_000; i++)
        {
            var (unit, multiplier) = units[random.Next(units.Length)];
            long amount = random.Next(0, 100_000);

            Assert.True(ByteSizeParser.TryParse($"{amount}{unit}", out var bytes, out _));
            Assert.Equal(amount * multiplier, bytes);
        }
    }
}
