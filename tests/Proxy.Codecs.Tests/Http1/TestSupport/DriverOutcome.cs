using MeshEdge.Codecs.Http1;

namespace MeshEdge.Codecs.Tests.Http1.TestSupport;

/// <summary>Everything a run over one input produced: the messages, and how it stopped.</summary>
internal sealed record DriverOutcome(List<ParsedMessage> Messages, Http1Error Error, int StatusToSend, long Consumed, bool EndedMidMessage)
{
    public ParsedMessage Single => Assert.Single(Messages);

    /// <summary>
    /// A stable text form, so two runs can be compared with one Assert.Equal. After an error the bytes
    /// consumed are left out: they depend on where the previous call stopped, and the connection closes.
    /// </summary>
    public string Describe() =>
        string.Join("\n", Messages.Select(m => m with { RequestHead = default, ResponseHead = default }))
        + $"\nerror={Error} status={StatusToSend} consumed={(Error == Http1Error.None ? Consumed : -1)} mid={EndedMidMessage}";
}
