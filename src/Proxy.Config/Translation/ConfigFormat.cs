namespace MeshEdge.Config.Translation;

/// <summary>Which schema a document is written in; told from its top-level keys.</summary>
internal enum ConfigFormat
{
    MeshEdge,
    EnvoyBootstrap,
    EnvoyConfigDump,
    Mosn,
}
