using MeshEdge.Config.Values;

namespace MeshEdge.Config.Tests;

public sealed class DurationParserTests
{
    public static TheoryData<string, long> Valid => new()
    {
        { "0s", 0 },
        { "0ms", 0 },
        { "250ms", 250 },
        { "5s", 5_000 },
        { "1.5s", 1_500 },
        { "0.25s", 250 },
        { "1m", 60_000 },
        { "1.5m", 90_000 },
        { "1h", 3_600_000 },
        { "24h", 86_400_000 },
        { "0.001s", 1 },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parses_number_and_unit(string text, long milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value, out var problem), problem);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("", "is not a duration")]
    [InlineData("5", "has no unit")]
    [InlineData("1.5", "has no unit")]
    [InlineData("-5s", "is negative")]
    [InlineData("5 s", "is not a duration")]
    [InlineData("5S", "is not a duration")]
    [InlineData("5sec", "is not a duration")]
    [InlineData("5d", "is not a duration")]
    [InlineData("1h30m", "is not a duration")]
    [InlineData("s", "is not a duration")]
    [InlineData(".5s", "is not a duration")]
    [InlineData("1.s", "is not a duration")]
    [InlineData("1e3ms", "is not a duration")]
    [InlineData("+5s", "is not a duration")]
    [InlineData(" 5s", "is not a duration")]
    [InlineData("99999999999999h", "is too large")]
    [InlineData("99999999999999999999999999999999s", "is too large")]
    public void Rejects_with_a_reason(string text, string expectedProblem)
    {
        Assert.False(DurationParser.TryParse(text, out _, out var problem));
        Assert.Equal(expectedProblem, problem);
    }

    [Fact]
    public void Every_whole_amount_of_every_unit_round_trips()
    {
        // Property-style: random amounts (fixed seed, so failures reproduce) in every unit.
        var random = new Random(20240611);
        (string Unit, Func<long, TimeSpan> Make)[] units =
        [
            ("ms", n => TimeSpan.FromMilliseconds(n)),
            ("s", n => TimeSpan.FromSeconds(n)),
            ("m", n => TimeSpan.FromMinutes(n)),
            ("h", n => TimeSpan.FromHours(n)),
        ];
        for (var i = 0; i < 2_000; i++)
        {
            var (unit, make) = units[random.Next(units.Length)];
            long amount = random.Next(0, 1_000_000);

            Assert.True(DurationParser.TryParse($"{amount}{unit}", out var value, out _));
            Assert.Equal(make(amount), value);
        }
    }

    [Fact]
    public void Tenths_are_exact()
    {
        // decimal arithmetic: 0.1 + 0.2 style float error would show up here.
        for (var tenths = 0; tenths < 1_000; tenths++)
        {
            var text = $"{tenths / 10}.{tenths % 10}s";

            Assert.True(DurationParser.TryParse(text, out var value, out _), text);
            Assert.Equal(TimeSpan.FromMilliseconds(tenths * 100), value);
        }
    }
}
