namespace MeshEdge.Codecs.Http1;

/// <summary>What one body read found.</summary>
internal enum Http1BodyStepKind : byte
{
    /// <summary>No body bytes available yet (framing bytes may still have been consumed).</summary>
    NeedMoreData,

    /// <summary>Body bytes are available at <see cref="Http1BodyStep.DataOffset"/>; more of the body follows.</summary>
    Data,

    /// <summary>The message ends after the consumed bytes (which may still carry a last piece of data).</summary>
    Complete,

    /// <summary>The chunked framing is malformed; close the connection (400 downstream, 502 for an upstream's body).</summary>
    Error,
}
