using System.Collections.Immutable;
using MeshEdge.Config.Binding;
using MeshEdge.Config.Json;
using MeshEdge.Config.Toml;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Yaml;

namespace MeshEdge.Config;

/// <summary>
/// Loads and validates a configuration from TOML or JSON. Both formats are read into one
/// format-neutral tree and bound by the same code, so they accept the same schema and report the
/// same errors. Loading never throws for bad input: every problem found is returned at once.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads a file, choosing the reader by extension (<c>.toml</c>, <c>.json</c>, <c>.yaml</c>/<c>.yml</c>) and the schema by content (MeshEdge, Envoy, MOSN).</summary>
    /// <param name="path">The file; errors name it exactly as given here.</param>
    public static ConfigLoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var errors = new ConfigErrorList(path);
        var extension = Path.GetExtension(path);
        Func<string, ConfigErrorList, ConfigTable?>? read = extension.ToLowerInvariant() switch
        {
            ".toml" => TomlTreeReader.Read,
            ".json" => JsonTreeReader.Read,
            ".yaml" or ".yml" => YamlTreeReader.Read,
            _ => null,
        };
        if (read is null)
        {
            errors.AddFileError(extension.Length == 0
                ? "the file name has no extension (expected .toml, .json or .yaml)"
                : $"unsupported file extension \"{extension}\" (expected .toml, .json or .yaml)");
            return ConfigLoadResult.Failure(errors.ToImmutable());
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            errors.AddFileError("file not found");
            return ConfigLoadResult.Failure(errors.ToImmutable());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            errors.AddFileError($"cannot read the file: {e.Message}");
            return ConfigLoadResult.Failure(errors.ToImmutable());
        }

        return Load(text, errors, read);
    }

    /// <summary>Loads TOML text; <paramref name="sourceName"/> becomes <c>ProxyConfig.Source</c> and
    /// prefixes every error.</summary>
    public static ConfigLoadResult LoadToml(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        return Load(text, new ConfigErrorList(sourceName), TomlTreeReader.Read);
    }

    /// <summary>Loads JSON text with the same schema as TOML (same keys, same nesting), or an Envoy bootstrap,
    /// Envoy config dump or MOSN config, told apart by their top-level keys and translated.</summary>
    public static ConfigLoadResult LoadJson(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        return Load(text, new ConfigErrorList(sourceName), JsonTreeReader.Read);
    }

    /// <summary>Loads YAML text (an Envoy bootstrap, typically), with the same detection as JSON.</summary>
    public static ConfigLoadResult LoadYaml(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        return Load(text, new ConfigErrorList(sourceName), YamlTreeReader.Read);
    }

    private static ConfigLoadResult Load(string text, ConfigErrorList errors, Func<string, ConfigErrorList, ConfigTable?> read)
    {
        var root = read(text, errors);
        if (root is not null && ConfigFormatDetector.Detect(root) is var format && format != ConfigFormat.MeshEdge)
        {
            return ForeignConfigLoader.Load(root, format, errors);
        }

        var config = root is null ? null : ProxyConfigBinder.Bind(root, errors);
        ImmutableArray<ConfigError> found = errors.ToImmutable();
        return config is not null && found.IsEmpty ? ConfigLoadResult.Success(config) : ConfigLoadResult.Failure(found);
    }
}
