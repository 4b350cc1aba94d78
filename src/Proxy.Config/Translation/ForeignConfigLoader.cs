using System.Collections.Immutable;
using MeshEdge.Config.Binding;
using MeshEdge.Config.Envoy;
using MeshEdge.Config.Mosn;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Translation;

/// <summary>
/// Loads an Envoy or MOSN document: translates it into MeshEdge's tree, binds that with the one
/// binder (so the same checks apply), gives the binder's errors back in the source's key paths, and
/// attaches the support report.
/// </summary>
internal static class ForeignConfigLoader
{
    public static ConfigLoadResult Load(ConfigTable root, ConfigFormat format, ConfigErrorList errors)
    {
        var (name, translate) = format switch
        {
            ConfigFormat.EnvoyBootstrap => (EnvoyBootstrapTranslator.Format, (Func<SourceTable, TranslatedConfig>)EnvoyBootstrapTranslator.Translate),
            ConfigFormat.EnvoyConfigDump => (EnvoyConfigDumpTranslator.Format, EnvoyConfigDumpTranslator.Translate),
            _ => (MosnTranslator.Format, MosnTranslator.Translate),
        };
        var context = new TranslationContext(errors, name);
        var translated = translate(new SourceTable(root, "", context) { IgnoreCase = format == ConfigFormat.Mosn });
        var bindErrors = new ConfigErrorList(errors.Source);
        var config = ProxyConfigBinder.Bind(translated.Root, bindErrors, listenersRequired: translated.Ads is null);
        ImmutableArray<ConfigError> all = [.. errors.ToImmutable(), .. context.Paths.Rewrite(bindErrors.ToImmutable())];
        var report = context.ToReport(all);
        var result = config is not null && all.IsEmpty
            ? ConfigLoadResult.Success(config with { Node = translated.Node, Ads = translated.Ads })
            : ConfigLoadResult.Failure(all);
        return result.WithTranslation(report, context.Paths);
    }
}
