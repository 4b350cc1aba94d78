using MeshEdge.Config.Tree;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Xds.Wire;

namespace MeshEdge.Native.Xds;

/// <summary>
/// What both ADS variants do with a response: decode and check each resource on its own, keep the
/// valid ones (and the last good version of each invalid one), apply deletions, then hand the whole
/// config to the target. The answer is the NACK's error_detail, or null for an ACK. A refused whole
/// config puts every type back as it was, so the process and the cache never disagree.
/// </summary>
internal sealed class XdsUpdateHandler(XdsCache cache, XdsStatus status, XdsConfigAssembler assembler, ILiveConfigTarget target, Func<long> clock)
{
    public string? Handle(XdsResourceType type, string version, IReadOnlyList<XdsWireResource> resources, IReadOnlyCollection<string>? removed, bool stateOfTheWorld)
    {
        var problems = new List<string>();
        var staged = new Dictionary<string, XdsResource>(StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        var skipped = status.OptionalFiltersSkipped;
        foreach (var resource in resources)
        {
            if (resource.TypeUrl != type.TypeUrl)
            {
                problems.Add($"a resource of type {resource.TypeUrl} in a {type.ShortName} response");
                continue;
            }

            ConfigTable tree;
            try
            {
                tree = ProtoTreeReader.Read(ProtoSchema.Envoy, type.MessageName, resource.Body);
            }
            catch (Exception e) when (e is InvalidDataException or OverflowException or ArgumentException)
            {
                problems.Add($"{type.ShortName} {(resource.Name.Length > 0 ? resource.Name : "resource")} cannot be decoded: {e.Message}");
                continue;
            }

            var name = XdsTree.Text(tree, type.NameField) ?? "";
            if (name.Length == 0)
            {
                problems.Add($"{type.ShortName} resource without a {type.NameField}");
                continue;
            }

            if (!named.Add(name))
            {
                problems.Add($"{type.ShortName} {name}: named twice in one response");
                staged.Remove(name);
                continue;
            }

            if (XdsResourceChecker.Check(type, tree, ref skipped) is { } problem)
            {
                problems.Add($"{type.ShortName} {name}: {problem}");
                continue;
            }

            staged[name] = new XdsResource(name, resource.Version.Length > 0 ? resource.Version : version, tree);
        }

        var before = cache.Snapshot();
        var retiredBefore = new Dictionary<string, XdsResource>(cache.Retired, StringComparer.Ordinal);
        var current = cache.Of(type);
        var gone = removed?.ToList() ?? [];
        if (stateOfTheWorld && type.Wildcard)
        {
            // A listener or cluster missing from a whole list is deleted; one named but invalid keeps its last good version.
            gone.AddRange(current.Keys.Where(n => !named.Contains(n)));
        }

        foreach (var name in gone)
        {
            if (current.Remove(name, out var old) && type == XdsResourceType.Clusters)
            {
                cache.Retired[name] = old;
            }
        }

        foreach (var (name, resource) in staged)
        {
            current[name] = resource;
            cache.Retired.Remove(name);
            cache.Await(type, name, clock());
        }

        var refusal = Apply(version);
        if (refusal is not null)
        {
            cache.Restore(before);
            cache.Retired.Clear();
            foreach (var (name, resource) in retiredBefore)
            {
                cache.Retired[name] = resource;
            }

            problems.Add(refusal);
        }

        var typeStatus = status.For(type);
        typeStatus.Resources = cache.Of(type).Count;
        status.OptionalFiltersSkipped = skipped;
        if (problems.Count == 0)
        {
            typeStatus.Version = version;
            typeStatus.LastUpdated = DateTimeOffset.UtcNow;
            typeStatus.Updates++;
            return null;
        }

        var detail = string.Join("; ", problems);
        typeStatus.Rejections++;
        typeStatus.LastNackError = detail;
        typeStatus.LastNackTime = DateTimeOffset.UtcNow;
        return detail;
    }

    /// <summary>Assembles and hands over the whole config (also when a warming wait has run out); the target's refusal, if any.</summary>
    public string? Apply(string version)
    {
        var loaded = assembler.Assemble(cache, clock());
        if (!loaded.Succeeded)
        {
            return "the config as a whole is invalid: " + string.Join("; ", loaded.Errors.Select(e => e.Path.Length > 0 ? $"{e.Path}: {e.Reason}" : e.Reason));
        }

        return target.TryApply(loaded.Config!, "xds", version);
    }
}
