using MeshEdge.Config.Tests.TestSupport;
using static MeshEdge.Config.Tests.TestSupport.SampleConfigs;

namespace MeshEdge.Config.Tests;

/// <summary><c>runtime.busy_poll</c>: how long a worker polls without sleeping after its last event.</summary>
public sealed class BusyPollConfigTests
{
    [Fact]
    public void It_is_off_unless_asked_for()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(TomlWith(head: "[runtime]"), "t.toml"));

        Assert.Equal(TimeSpan.Zero, config.Runtime.BusyPoll);
    }

    [Theory]
    [InlineData("\"50us\"", 50)]
    [InlineData("\"0.2ms\"", 200)]
    [InlineData("\"10ms\"", 10_000)]
    [InlineData("\"0s\"", 0)]
    public void It_takes_a_duration_down_to_microseconds(string value, int micros)
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(TomlWith(head: "[runtime]\nbusy_poll = " + value), "t.toml"));

        Assert.Equal(TimeSpan.FromMicroseconds(micros), config.Runtime.BusyPoll);
    }

    [Fact]
    public void Json_binds_it_alike()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadJson(JsonWithRuntime("\"busy_poll\": \"50us\""), "t.json"));

        Assert.Equal(TimeSpan.FromMicroseconds(50), config.Runtime.BusyPoll);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "busy_poll = \"11ms\"", "runtime.busy_poll: 11ms is more than the 10ms a worker may poll without sleeping" },
        { "busy_poll = 50", "runtime.busy_poll: 50 has no unit; expected a duration like \"5s\" (units: us, ms, s, m, h)" },
        { "busy_poll = \"-5us\"", "runtime.busy_poll: \"-5us\" is negative; expected a duration like \"5s\" (units: us, ms, s, m, h)" },
        { "busy-poll = \"50us\"", "runtime.busy-poll: unknown key (did you mean \"busy_poll\"?)" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void A_bad_value_gives_one_precise_error(string line, string expected)
    {
        Assert.Equal([expected], LoadAssert.RuntimeLineFails(line));
    }
}
