namespace MeshEdge.Codecs.Http1;

/// <summary>What one parse call achieved. Running out of input is a normal outcome, not an error.</summary>
internal enum Http1ParseStatus : byte
{
    /// <summary>The input ends inside the head; call again with the unconsumed rest plus new bytes.</summary>
    NeedMoreData,

    /// <summary>The head is complete; the body (if any) starts right after the consumed bytes.</summary>
    Complete,

    /// <summary>The input is malformed; reply with the result's status and close the connection.</summary>
    Error,
}
