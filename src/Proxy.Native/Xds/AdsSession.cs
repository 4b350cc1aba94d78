using MeshEdge.Native.Hosting;
using MeshEdge.Native.Xds.Grpc;
using MeshEdge.Native.Xds.Wire;

namespace MeshEdge.Native.Xds;

/// <summary>
/// One ADS stream, state of the world or delta. Asks for clusters and listeners, then for the
/// endpoints and routes they name, in make-before-break order (CDS, EDS, LDS, RDS); answers every
/// response with an ACK (its version and nonce) or a NACK (the last good version, the nonce and an
/// error_detail naming each rejected resource and why). Nonces belong to the stream; versions and
/// resources outlive it, so a new stream resumes from them. Runs on the xDS client's thread over a
/// <see cref="GrpcDuplexCall"/>; messages are encoded by hand (<see cref="DiscoveryRequest"/>,
/// <see cref="DiscoveryResponse"/>).
/// </summary>
internal sealed class AdsSession(XdsBootstrap bootstrap, XdsCache cache, XdsStatus status, XdsUpdateHandler handler, SemaphoreSlim gate, Func<long> clock)
{
    public const string StateOfTheWorldPath = "/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources";
    public const string DeltaPath = "/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources";

    private readonly XdsSubscriptions _subscriptions = new();
    private readonly Dictionary<XdsResourceType, string> _nonces = [];
    private bool _nodeSent;

    /// <summary>Responses handled on this stream (the caller resets its backoff once one has arrived).</summary>
    public int Responses { get; private set; }

    /// <summary>The call's path for the bootstrap's variant.</summary>
    public static string PathFor(XdsBootstrap bootstrap) => bootstrap.Delta ? DeltaPath : StateOfTheWorldPath;

    /// <summary>Holds the stream until it ends: returns when the control plane ends the call with status 0, throws when it breaks.</summary>
    public void Run(GrpcDuplexCall call, CancellationToken cancel)
    {
        var delta = bootstrap.Delta;
        foreach (var type in XdsResourceType.All)
        {
            if (!type.Wildcard)
            {
                var wanted = XdsSubscriptions.Wanted(type, cache);
                if (wanted.Count == 0)
                {
                    continue;
                }

                _subscriptions.Set(type, wanted);
                Await(type, wanted);
            }

            // Resuming a delta stream: tell the server what is held already, so it sends only what changed.
            var request = delta
                ? DiscoveryRequest.Delta(type.TypeUrl, "", _subscriptions.Of(type), [], cache.Of(type).Select(r => KeyValuePair.Create(r.Key, r.Value.Version)), Node(), null)
                : Sotw(type, null);
            call.Send(request);
        }

        status.Connected = true;
        status.Connects++;
        Log.Info("xds: stream open", ("control_plane", bootstrap.ControlPlane), ("variant", status.Variant));
        while (call.Receive() is { } bytes)
        {
            DiscoveryResponse response;
            try
            {
                response = DiscoveryResponse.Read(bytes, delta);
            }
            catch (Exception e) when (e is InvalidDataException or OverflowException)
            {
                // Without a type URL and nonce there is nothing to NACK: the stream is broken.
                throw new IOException("a discovery response that cannot be read: " + e.Message, e);
            }

            var type = XdsResourceType.Find(response.TypeUrl);
            if (type is null)
            {
                Log.Warn("xds: response of a type not asked for", ("type", response.TypeUrl));
                continue;
            }

            var version = delta && response.Version.Length == 0 ? response.Nonce : response.Version;
            string? error;
            gate.Wait(cancel);
            try
            {
                var resources = delta ? response.Resources.Where(r => r.TypeUrl.Length > 0).ToList() : response.Resources;
                error = handler.Handle(type, version, resources, delta ? response.Removed : null, stateOfTheWorld: !delta);
            }
            finally
            {
                gate.Release();
            }

            Responses++;
            _nonces[type] = response.Nonce;
            Outcome(type, version, response.Resources.Count, error);
            call.Send(delta ? DiscoveryRequest.Delta(type.TypeUrl, response.Nonce, [], [], [], null, error) : Sotw(type, error));
            foreach (var dependents in XdsSubscriptions.Dependents(type, cache))
            {
                var (added, removed) = _subscriptions.Set(dependents.Type, dependents.Names);
                if (added.Count + removed.Count == 0)
                {
                    continue;
                }

                // Endpoints after their clusters, routes after their listeners, secrets after either.
                Await(dependents.Type, dependents.Names);
                call.Send(delta
                    ? DiscoveryRequest.Delta(dependents.Type.TypeUrl, "", added, removed, [], null, null)
                    : Sotw(dependents.Type, null));
            }

            if (call.Pending == 0)
            {
                handler.Settle();
            }
        }
    }

    private byte[] Sotw(XdsResourceType type, string? error) => DiscoveryRequest.StateOfTheWorld(
        type.TypeUrl, status.For(type).Version, _nonces.GetValueOrDefault(type, ""), type.Wildcard ? [] : _subscriptions.Of(type), Node(), error);

    /// <summary>The node goes on a stream's first request only.</summary>
    private XdsNode? Node()
    {
        if (_nodeSent)
        {
            return null;
        }

        _nodeSent = true;
        return bootstrap.Node;
    }

    private void Await(XdsResourceType type, IEnumerable<string> names)
    {
        var now = clock();
        foreach (var name in names)
        {
            cache.Await(type, name, now);
        }
    }

    private static void Outcome(XdsResourceType type, string version, int count, string? error)
    {
        if (error is null)
        {
            Log.Info("xds: ACK", ("type", type.ShortName), ("version", version), ("resources", count));
        }
        else
        {
            Log.Warn("xds: NACK", ("type", type.ShortName), ("version", version), ("error", error));
        }
    }
}
