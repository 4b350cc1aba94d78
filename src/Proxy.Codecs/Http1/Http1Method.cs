namespace MeshEdge.Codecs.Http1;

/// <summary>
/// The methods the proxy's framing rules care about, recognised without strings. Any other valid
/// token is <see cref="Custom"/>; its bytes still reach the handler.
/// </summary>
internal enum Http1Method : byte
{
    Custom,
    Get,
    Head,
    Post,
    Put,
    Delete,
    Connect,
    Options,
    Trace,
    Patch,
}
