namespace MeshEdge.Native.Xds.Wire;

/// <summary>
/// A response from the control plane, either variant, read from protobuf's wire format:
/// DiscoveryResponse (version_info 1, resources 2 as Any, type_url 4, nonce 5) or
/// DeltaDiscoveryResponse (system_version_info 1, resources 2 as Resource {version 1, resource 2,
/// name 3}, type_url 4, nonce 5, removed_resources 6). Each resource is an Any (type_url 1, value 2).
/// </summary>
internal sealed record DiscoveryResponse(string Version, string TypeUrl, string Nonce, IReadOnlyList<XdsWireResource> Resources, IReadOnlyList<string> Removed)
{
    private const string ResourceWrapper = "type.googleapis.com/envoy.service.discovery.v3.Resource";

    /// <summary>
    /// Reads either variant: they share fields 1, 4 and 5; field 2 is an Any (SotW, possibly wrapping
    /// a Resource) or a Resource (delta), and field 6 is removed_resources only in delta (SotW's 6 is
    /// control_plane, skipped).
    /// </summary>
    public static DiscoveryResponse Read(ReadOnlyMemory<byte> data, bool delta)
    {
        string version = "", typeUrl = "", nonce = "";
        var resources = new List<XdsWireResource>();
        var removed = new List<string>();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            switch (field)
            {
                case 1 when wire == 2:
                    version = reader.String();
                    break;
                case 2 when wire == 2:
                    resources.Add(delta ? Wrapped(reader.LengthDelimited()) : Resource(reader.LengthDelimited()));
                    break;
                case 4 when wire == 2:
                    typeUrl = reader.String();
                    break;
                case 5 when wire == 2:
                    nonce = reader.String();
                    break;
                case 6 when wire == 2 && delta:
                    removed.Add(reader.String());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new DiscoveryResponse(version, typeUrl, nonce, resources, removed);
    }

    /// <summary>A state-of-the-world resource: an Any, which a control plane may use to wrap a Resource.</summary>
    private static XdsWireResource Resource(ReadOnlyMemory<byte> data)
    {
        var (url, body) = Any(data);
        return url == ResourceWrapper ? Wrapped(body) : new XdsWireResource("", "", url, body);
    }

    /// <summary>envoy.service.discovery.v3.Resource: version 1, resource 2 (Any), name 3.</summary>
    private static XdsWireResource Wrapped(ReadOnlyMemory<byte> data)
    {
        string name = "", version = "", url = "";
        ReadOnlyMemory<byte> body = default;
        var present = false;
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            switch (field)
            {
                case 1 when wire == 2:
                    version = reader.String();
                    break;
                case 2 when wire == 2:
                    (url, body) = Any(reader.LengthDelimited());
                    present = true;
                    break;
                case 3 when wire == 2:
                    name = reader.String();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new XdsWireResource(name, version, present ? url : "", body);
    }

    private static (string TypeUrl, ReadOnlyMemory<byte> Value) Any(ReadOnlyMemory<byte> data)
    {
        var url = "";
        ReadOnlyMemory<byte> value = default;
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            if (field == 1 && wire == 2)
            {
                url = reader.String();
            }
            else if (field == 2 && wire == 2)
            {
                value = reader.LengthDelimited();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (url, value);
    }
}
