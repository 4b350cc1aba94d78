using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Translation;

/// <summary>A foreign config as MeshEdge's tree (for the one binder), plus what the tree has no keys for.</summary>
internal sealed record TranslatedConfig(ConfigTable Root, NodeConfig? Node, AdsConfig? Ads);
