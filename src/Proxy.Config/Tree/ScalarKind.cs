namespace MeshEdge.Config.Tree;

internal enum ScalarKind
{
    String,
    Integer,
    Float,
    Boolean,
    DateTime,

    /// <summary>A JSON value: the configuration provider turns every JSON value into text, so its
    /// type is unknown and the binder parses the text as whatever it expects.</summary>
    Untyped,

    /// <summary>A JSON null or {} (the provider cannot tell them apart): no value and no children.</summary>
    Null,
}
