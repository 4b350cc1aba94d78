namespace MeshEdge.Codecs.Http1;

/// <summary>
/// One step through a body. Offsets are relative to the start of the input passed in. A proxy that
/// forwards the body as it came sends the first <see cref="Consumed"/> bytes on; one that decodes
/// takes only [DataOffset, DataOffset + DataLength). Either way it then releases Consumed bytes.
/// </summary>
internal readonly struct Http1BodyStep
{
    private Http1BodyStep(Http1BodyStepKind kind, long consumed, long dataOffset, long dataLength, Http1Error error)
    {
        Kind = kind;
        Consumed = consumed;
        DataOffset = dataOffset;
        DataLength = dataLength;
        Error = error;
    }

    public Http1BodyStepKind Kind { get; }

    public long Consumed { get; }

    public long DataOffset { get; }

    public long DataLength { get; }

    public Http1Error Error { get; }

    public static Http1BodyStep NeedMoreData(long consumed) => new(Http1BodyStepKind.NeedMoreData, consumed, 0, 0, Http1Error.None);

    public static Http1BodyStep Data(long consumed, long offset, long length) => new(Http1BodyStepKind.Data, consumed, offset, length, Http1Error.None);

    public static Http1BodyStep Complete(long consumed, long offset = 0, long length = 0) =>
        new(Http1BodyStepKind.Complete, consumed, offset, length, Http1Error.None);

    public static Http1BodyStep Failed(Http1Error error, long consumed) => new(Http1BodyStepKind.Error, consumed, 0, 0, error);

    public override string ToString() => Kind switch
    {
        Http1BodyStepKind.Error => $"Error({Error})",
        _ => $"{Kind}(consumed {Consumed}, data {DataOffset}+{DataLength})",
    };
}
