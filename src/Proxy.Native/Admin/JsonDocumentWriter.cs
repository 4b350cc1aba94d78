using System.Text.Json;

namespace MeshEdge.Native.Admin;

/// <summary>Runs a writer callback over an indented Utf8JsonWriter and returns the bytes.</summary>
internal static class JsonDocumentWriter
{
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>Writes <paramref name="value"/>, or null when it is not known.</summary>
    public static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
