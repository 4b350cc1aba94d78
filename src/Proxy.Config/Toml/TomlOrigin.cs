namespace MeshEdge.Config.Toml;

/// <summary>How a TOML table or array came to exist; TOML's rules on what may be added to it later
/// depend on this.</summary>
internal enum TomlOrigin
{
    /// <summary>Created as a parent of a header (<c>a</c> for <c>[a.b]</c>); a later <c>[a]</c> may still define it.</summary>
    Implicit,

    /// <summary>Defined by its own <c>[header]</c>, or an element of <c>[[header]]</c>; defined once only.</summary>
    Header,

    /// <summary>Created by a dotted key (<c>a.b = 1</c>); more dotted keys may add to it, a header may not.</summary>
    Dotted,

    /// <summary>An inline table <c>{ ... }</c> or anything inside one: complete as written.</summary>
    Inline,

    /// <summary>An array value <c>[ ... ]</c>: complete as written.</summary>
    StaticArray,

    /// <summary>The array behind <c>[[header]]</c>; each header appends a table.</summary>
    TableArray,
}
