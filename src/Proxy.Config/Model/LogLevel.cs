namespace MeshEdge.Config.Model;

public enum LogLevel
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}
