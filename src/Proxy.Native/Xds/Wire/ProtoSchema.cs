using System.Collections.Frozen;

namespace MeshEdge.Native.Xds.Wire;

/// <summary>
/// Envoy's message and enum types, read from the descriptor set protoc wrote at build time (embedded
/// in the binary): for each message its fields by number (name, type, repeated, map entry), for each
/// enum its value names. With it the client reads any resource into a config tree without generated
/// code for each type.
/// </summary>
internal sealed class ProtoSchema
{
    private const string ResourceName = "MeshEdge.xds.pb";

    private static readonly Lazy<ProtoSchema> Embedded = new(LoadEmbedded);

    private ProtoSchema(FrozenDictionary<string, ProtoMessageType> messages, FrozenDictionary<string, FrozenDictionary<int, string>> enums)
    {
        Messages = messages;
        Enums = enums;
    }

    public static ProtoSchema Envoy => Embedded.Value;

    /// <summary>Message types by full name without a leading dot ("envoy.config.cluster.v3.Cluster").</summary>
    public FrozenDictionary<string, ProtoMessageType> Messages { get; }

    public FrozenDictionary<string, FrozenDictionary<int, string>> Enums { get; }

    public ProtoMessageType? Find(string fullName) => Messages.GetValueOrDefault(fullName);

    public static ProtoSchema Parse(ReadOnlyMemory<byte> descriptorSet)
    {
        var messages = new Dictionary<string, ProtoMessageType>(StringComparer.Ordinal);
        var enums = new Dictionary<string, FrozenDictionary<int, string>>(StringComparer.Ordinal);
        var set = new ProtoReader(descriptorSet);
        while (!set.End)
        {
            var (field, wire) = set.Tag();
            if (field != 1 || wire != 2)
            {
                set.Skip(wire);
                continue;
            }

            // FileDescriptorProto: package = 2, message_type = 4, enum_type = 5.
            var file = new ProtoReader(set.LengthDelimited());
            var package = "";
            var types = new List<ReadOnlyMemory<byte>>();
            var enumTypes = new List<ReadOnlyMemory<byte>>();
            while (!file.End)
            {
                var (f, w) = file.Tag();
                switch (f)
                {
                    case 2 when w == 2:
                        package = file.String();
                        break;
                    case 4 when w == 2:
                        types.Add(file.LengthDelimited());
                        break;
                    case 5 when w == 2:
                        enumTypes.Add(file.LengthDelimited());
                        break;
                    default:
                        file.Skip(w);
                        break;
                }
            }

            foreach (var type in types)
            {
                ReadMessage(type, package, messages, enums);
            }

            foreach (var type in enumTypes)
            {
                ReadEnum(type, package, enums);
            }
        }

        return new ProtoSchema(messages.ToFrozenDictionary(StringComparer.Ordinal), enums.ToFrozenDictionary(StringComparer.Ordinal));
    }

    // DescriptorProto: name = 1, field = 2, nested_type = 3, enum_type = 4, options = 7 (map_entry = 7).
    private static void ReadMessage(ReadOnlyMemory<byte> data, string scope, Dictionary<string, ProtoMessageType> messages, Dictionary<string, FrozenDictionary<int, string>> enums)
    {
        var reader = new ProtoReader(data);
        var name = "";
        var fields = new List<ReadOnlyMemory<byte>>();
        var nested = new List<ReadOnlyMemory<byte>>();
        var nestedEnums = new List<ReadOnlyMemory<byte>>();
        var mapEntry = false;
        while (!reader.End)
        {
            var (f, w) = reader.Tag();
            switch (f)
            {
                case 1 when w == 2:
                    name = reader.String();
                    break;
                case 2 when w == 2:
                    fields.Add(reader.LengthDelimited());
                    break;
                case 3 when w == 2:
                    nested.Add(reader.LengthDelimited());
                    break;
                case 4 when w == 2:
                    nestedEnums.Add(reader.LengthDelimited());
                    break;
                case 7 when w == 2:
                    var options = new ProtoReader(reader.LengthDelimited());
                    while (!options.End)
                    {
                        var (o, ow) = options.Tag();
                        if (o == 7 && ow == 0)
                        {
                            mapEntry = options.Varint() != 0;
                        }
                        else
                        {
                            options.Skip(ow);
                        }
                    }

                    break;
                default:
                    reader.Skip(w);
                    break;
            }
        }

        var fullName = scope.Length == 0 ? name : scope + "." + name;
        var byNumber = new Dictionary<int, ProtoField>();
        foreach (var field in fields)
        {
            var parsed = ReadField(field);
            byNumber[parsed.Number] = parsed;
        }

        messages[fullName] = new ProtoMessageType(fullName, byNumber.ToFrozenDictionary(), mapEntry);
        foreach (var inner in nested)
        {
            ReadMessage(inner, fullName, messages, enums);
        }

        foreach (var inner in nestedEnums)
        {
            ReadEnum(inner, fullName, enums);
        }
    }

    // FieldDescriptorProto: name = 1, number = 3, label = 4 (3 = repeated), type = 5, type_name = 6.
    private static ProtoField ReadField(ReadOnlyMemory<byte> data)
    {
        var reader = new ProtoReader(data);
        string name = "", typeName = "";
        int number = 0, type = 0;
        var repeated = false;
        while (!reader.End)
        {
            var (f, w) = reader.Tag();
            switch (f)
            {
                case 1 when w == 2:
                    name = reader.String();
                    break;
                case 3 when w == 0:
                    number = (int)reader.Varint();
                    break;
                case 4 when w == 0:
                    repeated = reader.Varint() == 3;
                    break;
                case 5 when w == 0:
                    type = (int)reader.Varint();
                    break;
                case 6 when w == 2:
                    typeName = reader.String().TrimStart('.');
                    break;
                default:
                    reader.Skip(w);
                    break;
            }
        }

        return new ProtoField(number, name, (ProtoFieldType)type, typeName, repeated);
    }

    // EnumDescriptorProto: name = 1, value = 2 (EnumValueDescriptorProto: name = 1, number = 2).
    private static void ReadEnum(ReadOnlyMemory<byte> data, string scope, Dictionary<string, FrozenDictionary<int, string>> enums)
    {
        var reader = new ProtoReader(data);
        var name = "";
        var values = new Dictionary<int, string>();
        while (!reader.End)
        {
            var (f, w) = reader.Tag();
            if (f == 1 && w == 2)
            {
                name = reader.String();
            }
            else if (f == 2 && w == 2)
            {
                var value = new ProtoReader(reader.LengthDelimited());
                var valueName = "";
                var number = 0;
                while (!value.End)
                {
                    var (vf, vw) = value.Tag();
                    if (vf == 1 && vw == 2)
                    {
                        valueName = value.String();
                    }
                    else if (vf == 2 && vw == 0)
                    {
                        number = (int)value.Varint();
                    }
                    else
                    {
                        value.Skip(vw);
                    }
                }

                values.TryAdd(number, valueName);
            }
            else
            {
                reader.Skip(w);
            }
        }

        enums[scope.Length == 0 ? name : scope + "." + name] = values.ToFrozenDictionary();
    }

    private static ProtoSchema LoadEmbedded()
    {
        using var stream = typeof(ProtoSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded descriptor set {ResourceName} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Parse(copy.ToArray());
    }
}
