using System.Diagnostics;
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
    /// <summary>
    /// A response this large is a bulk push (a start, a mass change): once applied, a full compacting
    /// collection gives the memory its decoding and translation went through back to the system, so
    /// the process's RSS is what the config holds, not the high-water mark of building it. It pauses
    /// the workers like any full collection (tens of milliseconds for 10,000 clusters), once per bulk push.
    /// </summary>
    private const int BulkResources = 1000;

    /// <summary>The short way for endpoint-only changes, when the target can swap hosts in place.</summary>
    private readonly XdsEndpointShortcut? _shortcut = target is ILiveEndpointTarget endpoints ? new XdsEndpointShortcut(cache, assembler, endpoints) : null;

    /// <summary>A bulk push was applied since the last <see cref="Settle"/>.</summary>
    private bool _collectionDue;

    /// <summary>
    /// Called when no response waits (a burst such as CDS, EDS, LDS, RDS back to back is handled):
    /// after a bulk push, the full compacting collection. Run at the burst's end rather than after the
    /// bulk response itself, it also returns what the responses after it allocated (the listeners'
    /// and routes' assemblies over every cluster), which otherwise stayed in RSS until the next collection.
    /// </summary>
    public void Settle()
    {
        if (_collectionDue)
        {
            _collectionDue = false;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>The collector's figures when the response being handled arrived, for its log line.</summary>
    private XdsGcReading _gcAtStart;

    public string? Handle(XdsResourceType type, string version, IReadOnlyList<XdsWireResource> resources, IReadOnlyCollection<string>? removed, bool stateOfTheWorld)
    {
        var started = Stopwatch.GetTimestamp();
        _gcAtStart = XdsGcReading.Now();

        // A ClusterLoadAssignment that a known cluster waits for is translated with that cluster in
        // the batch that follows, whose errors are a superset of its own check's: checking it alone
        // first translated every assignment twice (half of a 10,000-cluster EDS push). Only when the
        // whole config is refused are the assignments checked one by one, to NACK the bad ones and
        // apply the rest (A46), as before.
        var inBatch = type == XdsResourceType.Endpoints ? UsedEndpoints() : null;
        var answer = Handle(type, version, resources, removed, stateOfTheWorld, started, inBatch, out var again);
        return again ? Handle(type, version, resources, removed, stateOfTheWorld, started, null, out _) : answer;
    }

    /// <summary>
    /// The ClusterLoadAssignments that cached clusters without a config bound alone wait for: those pairs
    /// are translated whole in the batch. An assignment whose clusters all have one is checked (and bound)
    /// alone, which is then its only translation.
    /// </summary>
    private HashSet<string> UsedEndpoints() => [.. XdsConfigAssembler.EndpointNames(cache.Of(XdsResourceType.Clusters).Values.Where(c => c.Alone is null))];

    /// <summary>
    /// One pass over a response; <paramref name="again"/> (with the cache as it was) when the whole config
    /// was refused while the resources named in <paramref name="inBatch"/> went unchecked: the response is
    /// to be handled again with every check.
    /// </summary>
    private string? Handle(XdsResourceType type, string version, IReadOnlyList<XdsWireResource> resources, IReadOnlyCollection<string>? removed, bool stateOfTheWorld,
        long started, HashSet<string>? inBatch, out bool again)
    {
        again = false;
        var uncheckedAny = false;
        var problems = new List<string>();
        var staged = new Dictionary<string, XdsResource>(resources.Count, StringComparer.Ordinal);
        var named = new HashSet<string>(resources.Count, StringComparer.Ordinal);
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

            XdsBoundAlone? alone = null;
            if (inBatch?.Contains(name) == true)
            {
                uncheckedAny = true;
            }
            else if (XdsResourceChecker.Check(type, tree, ref skipped, out alone) is { } problem)
            {
                problems.Add($"{type.ShortName} {name}: {problem}");
                continue;
            }

            // What is bound alone needs no tree until something reads it again (a routed cluster in the
            // listeners' load, a whole translation): dropped now, the trees of a bulk push never pile up.
            var endpointName = type == XdsResourceType.Clusters ? XdsConfigAssembler.EdsName(tree) : null;
            staged[name] = new XdsResource(name, resource.Version.Length > 0 ? resource.Version : version, alone is null ? tree : null, type, resource.Body.ToArray(), endpointName, alone);
        }

        var decoded = Stopwatch.GetElapsedTime(started);
        if (type == XdsResourceType.Clusters)
        {
            _shortcut?.ClustersChanged();
        }
        else if (type == XdsResourceType.Endpoints && staged.Count > 0 && removed is not { Count: > 0 } && _shortcut?.TryApply(staged, version, clock()) == true)
        {
            Handled(type, resources.Count, "endpoints", decoded, started);
            return Finish(type, version, problems, skipped);
        }

        // Only this type's resources change here (and the retired clusters, usually none): what each
        // change displaced is noted to be put back if the whole config is refused. Copying every type's
        // resources instead cost four 10,000-entry dictionaries per response, a tenth of a bulk push
        // with the collections their large arrays set off.
        var retiredBefore = new Dictionary<string, XdsResource>(cache.Retired, StringComparer.Ordinal);
        var current = cache.Of(type);
        var undo = new List<(string Name, XdsResource? Old)>(staged.Count);
        var gone = removed?.ToList() ?? [];
        if (stateOfTheWorld && type.Wildcard)
        {
            // A listener or cluster missing from a whole list is deleted; one named but invalid keeps its last good version.
            gone.AddRange(current.Keys.Where(n => !named.Contains(n)));
        }

        foreach (var name in gone)
        {
            if (current.Remove(name, out var old))
            {
                undo.Add((name, old));
                if (type == XdsResourceType.Clusters)
                {
                    cache.Retired[name] = old;
                }
            }
        }

        foreach (var (name, resource) in staged)
        {
            undo.Add((name, current.GetValueOrDefault(name)));
            current[name] = resource;
            cache.Retired.Remove(name);
        }

        var refusal = Apply(version);
        if (refusal is not null)
        {
            for (var i = undo.Count - 1; i >= 0; i--)
            {
                var (name, old) = undo[i];
                if (old is null)
                {
                    current.Remove(name);
                }
                else
                {
                    current[name] = old;
                }
            }

            cache.Retired.Clear();
            foreach (var (name, resource) in retiredBefore)
            {
                cache.Retired[name] = resource;
            }

            if (uncheckedAny)
            {
                again = true;
                return null;
            }

            problems.Add(refusal);
        }
        else
        {
            // What arrived is no longer waited for (a refused response leaves the waits as they were).
            foreach (var name in staged.Keys)
            {
                cache.Await(type, name, clock());
            }

            // Translations are kept per cluster now: the trees can go until something changes.
            cache.Compact(assembler.IsTranslated);
        }

        Handled(type, resources.Count, "whole", decoded, started);
        // Clusters still warming keep their trees for the endpoints to come, whose response asks for
        // the collection: one full collection per bulk push instead of two.
        if (refusal is null && resources.Count >= BulkResources && (type != XdsResourceType.Clusters || staged.Values.All(assembler.IsTranslated)))
        {
            _collectionDue = true;
        }

        return Finish(type, version, problems, skipped);
    }

    /// <summary>
    /// How long a response took here, for the log (bench/xds reads it): decoding and checking, then all
    /// of it; and what it cost the collector (bytes allocated, collections by generation as
    /// GC.CollectionCount counts them, pause time), which a loaded machine does not change.
    /// </summary>
    private void Handled(XdsResourceType type, int resources, string path, TimeSpan decoded, long started) =>
        Log.Info("xds: update handled",
        [
            ("type", type.ShortName), ("resources", resources), ("path", path),
            ("decode_ms", Math.Round(decoded.TotalMilliseconds, 2)), ("handle_ms", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2)),
            .. XdsGcReading.Since(_gcAtStart),
        ]);

    /// <summary>The type's status after a response; the NACK's error_detail, or null for an ACK.</summary>
    private string? Finish(XdsResourceType type, string version, List<string> problems, long skipped)
    {
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

        return target.TryApply(XdsSecretWarming.MarkServed(loaded.Config!, cache), "xds", version);
    }
}
