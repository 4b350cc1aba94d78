using System.Globalization;
using MeshEdge.Config.Tree;

namespace MeshEdge.Native.Xds.Wire;

/// <summary>
/// A resource's bytes as the config tree the Envoy translators read, shaped like Envoy's JSON: proto
/// field names, enums by name, durations as "1.5s", wrappers unwrapped, maps as tables, an <c>Any</c>
/// as a table with "@type" and its message's fields. An <c>Any</c> of a type the schema lacks keeps
/// its "@type" alone, so the translators still see which extension it is (and refuse a security
/// one, or skip an optional one) instead of the whole resource failing.
/// </summary>
internal static class ProtoTreeReader
{
    private static readonly SourcePosition At = SourcePosition.None;

    public static ConfigTable Read(ProtoSchema schema, string typeName, ReadOnlyMemory<byte> data)
    {
        var type = schema.Find(typeName) ?? throw new InvalidDataException($"unknown message type {typeName}");
        return Message(schema, type, data);
    }

    private static ConfigTable Message(ProtoSchema schema, ProtoMessageType type, ReadOnlyMemory<byte> data)
    {
        var values = new Dictionary<int, List<ConfigNode>>();
        var order = new List<ProtoField>();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (number, wire) = reader.Tag();
            if (!type.Fields.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
                continue;
            }

            if (!values.TryGetValue(number, out var list))
            {
                list = [];
                values[number] = list;
                order.Add(field);
            }

            if (wire == 2 && field.Type is not (ProtoFieldType.String or ProtoFieldType.Bytes or ProtoFieldType.Message or ProtoFieldType.Group))
            {
                // Packed repeated numbers.
                var packed = new ProtoReader(reader.LengthDelimited());
                while (!packed.End)
                {
                    list.Add(Scalar(schema, field, ref packed, field.Type is ProtoFieldType.Double or ProtoFieldType.Fixed64 or ProtoFieldType.SFixed64 ? 1
                        : field.Type is ProtoFieldType.Float or ProtoFieldType.Fixed32 or ProtoFieldType.SFixed32 ? 5 : 0));
                }

                continue;
            }

            list.Add(field.Type == ProtoFieldType.Message ? Nested(schema, field, reader.LengthDelimited()) : Scalar(schema, field, ref reader, wire));
        }

        var table = new ConfigTable(At);
        foreach (var field in order)
        {
            var list = values[field.Number];
            if (field.Repeated && schema.Find(field.TypeName) is { IsMapEntry: true })
            {
                var map = new ConfigTable(At);
                foreach (var entry in list.OfType<ConfigTable>())
                {
                    var key = entry.TryGet("key", out var k) && k is ConfigScalar scalar ? scalar.Text : "";
                    map.TryAdd(key, entry.TryGet("value", out var v) ? v : new ConfigScalar(ScalarKind.Null, "", At), At);
                }

                table.TryAdd(field.Name, map, At);
            }
            else if (field.Repeated)
            {
                var array = new ConfigArray(At);
                foreach (var item in list)
                {
                    array.Add(item);
                }

                table.TryAdd(field.Name, array, At);
            }
            else
            {
                table.TryAdd(field.Name, list[^1], At);
            }
        }

        return table;
    }

    private static ConfigNode Nested(ProtoSchema schema, ProtoField field, ReadOnlyMemory<byte> data)
    {
        switch (field.TypeName)
        {
            case "google.protobuf.Duration":
                return Text(DurationText(Fields(data, 1), Fields(data, 2)));
            case "google.protobuf.Timestamp":
                var seconds = (long)Fields(data, 1);
                return Text(DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks((long)Fields(data, 2) / 100).ToString("O", CultureInfo.InvariantCulture));
            case "google.protobuf.Any":
                return Any(schema, data);
            case "google.protobuf.Struct" or "google.protobuf.Value" or "google.protobuf.ListValue":
                return StructValue(schema, field.TypeName, data);
        }

        var type = schema.Find(field.TypeName) ?? throw new InvalidDataException($"unknown message type {field.TypeName}");
        var table = Message(schema, type, data);
        if (field.TypeName.StartsWith("google.protobuf.", StringComparison.Ordinal) && field.TypeName.EndsWith("Value", StringComparison.Ordinal))
        {
            // Wrappers (UInt32Value, BoolValue...): the value itself; an absent value is the type's zero.
            return table.TryGet("value", out var value) ? value : Zero(type);
        }

        return table;
    }

    private static ConfigNode Zero(ProtoMessageType wrapper) => wrapper.Fields.TryGetValue(1, out var field) ? field.Type switch
    {
        ProtoFieldType.Bool => new ConfigScalar(ScalarKind.Boolean, "false", At),
        ProtoFieldType.String or ProtoFieldType.Bytes => Text(""),
        ProtoFieldType.Double or ProtoFieldType.Float => new ConfigScalar(ScalarKind.Float, "0", At),
        _ => new ConfigScalar(ScalarKind.Integer, "0", At),
    } : Text("");

    private static ConfigTable Any(ProtoSchema schema, ReadOnlyMemory<byte> data)
    {
        var typeUrl = "";
        ReadOnlyMemory<byte> value = default;
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (number, wire) = reader.Tag();
            if (number == 1 && wire == 2)
            {
                typeUrl = reader.String();
            }
            else if (number == 2 && wire == 2)
            {
                value = reader.LengthDelimited();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        var typeName = typeUrl[(typeUrl.LastIndexOf('/') + 1)..];
        var table = schema.Find(typeName) is { } type ? Message(schema, type, value) : new ConfigTable(At);
        var withType = new ConfigTable(At);
        withType.TryAdd("@type", Text(typeUrl), At);
        foreach (var entry in table.Entries)
        {
            withType.TryAdd(entry.Key, entry.Value, At);
        }

        return withType;
    }

    // Struct: fields = 1 (map<string, Value>); Value: null 1, number 2, string 3, bool 4, struct 5, list 6; ListValue: values = 1.
    private static ConfigNode StructValue(ProtoSchema schema, string typeName, ReadOnlyMemory<byte> data)
    {
        var reader = new ProtoReader(data);
        if (typeName == "google.protobuf.Struct")
        {
            var table = new ConfigTable(At);
            while (!reader.End)
            {
                var (number, wire) = reader.Tag();
                if (number != 1 || wire != 2)
                {
                    reader.Skip(wire);
                    continue;
                }

                var entry = new ProtoReader(reader.LengthDelimited());
                var key = "";
                ConfigNode value = new ConfigScalar(ScalarKind.Null, "", At);
                while (!entry.End)
                {
                    var (f, w) = entry.Tag();
                    if (f == 1 && w == 2)
                    {
                        key = entry.String();
                    }
                    else if (f == 2 && w == 2)
                    {
                        value = StructValue(schema, "google.protobuf.Value", entry.LengthDelimited());
                    }
                    else
                    {
                        entry.Skip(w);
                    }
                }

                table.TryAdd(key, value, At);
            }

            return table;
        }

        if (typeName == "google.protobuf.ListValue")
        {
            var array = new ConfigArray(At);
            while (!reader.End)
            {
                var (number, wire) = reader.Tag();
                if (number == 1 && wire == 2)
                {
                    array.Add(StructValue(schema, "google.protobuf.Value", reader.LengthDelimited()));
                }
                else
                {
                    reader.Skip(wire);
                }
            }

            return array;
        }

        ConfigNode result = new ConfigScalar(ScalarKind.Null, "", At);
        while (!reader.End)
        {
            var (number, wire) = reader.Tag();
            result = (number, wire) switch
            {
                (2, 1) => new ConfigScalar(ScalarKind.Float, BitConverter.UInt64BitsToDouble(reader.Fixed64()).ToString("R", CultureInfo.InvariantCulture), At),
                (3, 2) => Text(reader.String()),
                (4, 0) => new ConfigScalar(ScalarKind.Boolean, reader.Varint() != 0 ? "true" : "false", At),
                (5, 2) => StructValue(schema, "google.protobuf.Struct", reader.LengthDelimited()),
                (6, 2) => StructValue(schema, "google.protobuf.ListValue", reader.LengthDelimited()),
                _ => Skipped(ref reader, wire, result),
            };
        }

        return result;
    }

    private static ConfigNode Skipped(ref ProtoReader reader, int wire, ConfigNode current)
    {
        reader.Skip(wire);
        return current;
    }

    private static ConfigScalar Scalar(ProtoSchema schema, ProtoField field, ref ProtoReader reader, int wire)
    {
        switch (field.Type)
        {
            case ProtoFieldType.String:
                return Text(reader.String());
            case ProtoFieldType.Bytes:
                return Text(Convert.ToBase64String(reader.LengthDelimited().Span));
            case ProtoFieldType.Bool:
                return new ConfigScalar(ScalarKind.Boolean, reader.Varint() != 0 ? "true" : "false", At);
            case ProtoFieldType.Double:
                return Float(BitConverter.UInt64BitsToDouble(reader.Fixed64()));
            case ProtoFieldType.Float:
                return Float(BitConverter.UInt32BitsToSingle(reader.Fixed32()));
            case ProtoFieldType.Enum:
                var number = (int)reader.Varint();
                return Text(schema.Enums.TryGetValue(field.TypeName, out var names) && names.TryGetValue(number, out var name)
                    ? name : number.ToString(CultureInfo.InvariantCulture));
            case ProtoFieldType.Fixed64:
                return Integer(reader.Fixed64().ToString(CultureInfo.InvariantCulture));
            case ProtoFieldType.SFixed64:
                return Integer(((long)reader.Fixed64()).ToString(CultureInfo.InvariantCulture));
            case ProtoFieldType.Fixed32:
                return Integer(reader.Fixed32().ToString(CultureInfo.InvariantCulture));
            case ProtoFieldType.SFixed32:
                return Integer(((int)reader.Fixed32()).ToString(CultureInfo.InvariantCulture));
            case ProtoFieldType.SInt32 or ProtoFieldType.SInt64:
                var zigzag = reader.Varint();
                return Integer(((long)(zigzag >> 1) ^ -(long)(zigzag & 1)).ToString(CultureInfo.InvariantCulture));
            case ProtoFieldType.UInt64:
                return Integer(reader.Varint().ToString(CultureInfo.InvariantCulture));
            case ProtoFieldType.UInt32:
                return Integer(((uint)reader.Varint()).ToString(CultureInfo.InvariantCulture));
            case ProtoFieldType.Int32:
                return Integer(((int)reader.Varint()).ToString(CultureInfo.InvariantCulture));
            case ProtoFieldType.Int64:
                return Integer(((long)reader.Varint()).ToString(CultureInfo.InvariantCulture));
            default:
                reader.Skip(wire);
                return new ConfigScalar(ScalarKind.Null, "", At);
        }
    }

    /// <summary>A varint field of a small message (Duration, Timestamp), 0 when absent.</summary>
    private static ulong Fields(ReadOnlyMemory<byte> data, int wanted)
    {
        var reader = new ProtoReader(data);
        ulong value = 0;
        while (!reader.End)
        {
            var (number, wire) = reader.Tag();
            if (number == wanted && wire == 0)
            {
                value = reader.Varint();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return value;
    }

    /// <summary>Envoy's JSON form of a Duration: seconds with up to nine decimals and an "s".</summary>
    private static string DurationText(ulong seconds, ulong nanos)
    {
        var total = ((decimal)(long)seconds * 1_000_000_000m) + (int)nanos;
        return (total / 1_000_000_000m).ToString("0.#########", CultureInfo.InvariantCulture) + "s";
    }

    private static ConfigScalar Text(string text) => new(ScalarKind.String, text, At);

    private static ConfigScalar Integer(string text) => new(ScalarKind.Integer, text, At);

    private static ConfigScalar Float(double value) => new(ScalarKind.Float, value.ToString("R", CultureInfo.InvariantCulture), At);
}
