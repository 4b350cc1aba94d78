using MeshEdge.Codecs.Http2.Hpack;

namespace MeshEdge.Codecs.Tests.Http2.Hpack;

/// <summary>The static table's hashed lookup answers exactly what a scan of RFC 7541 Appendix A would.</summary>
public class HpackStaticTableTests
{
    [Fact]
    public void Find_answers_every_entry_as_a_scan_of_the_table_would()
    {
        for (var index = 1; index <= HpackStaticTable.Count; index++)
        {
            var name = HpackStaticTable.Name(index);
            var value = HpackStaticTable.Value(index);
            var (expected, expectedName) = Scan(name, value);
            Assert.Equal(expected, HpackStaticTable.Find(name, value, out var nameIndex));
            Assert.Equal(expectedName, nameIndex);

            // The same name with a value no entry has: the name's first index only.
            Assert.Equal(0, HpackStaticTable.Find(name, "no-such-value"u8, out nameIndex));
            Assert.Equal(expectedName, nameIndex);
        }
    }

    [Theory]
    [InlineData(":status", "204", 9, 8)]
    [InlineData(":status", "500", 14, 8)]
    [InlineData(":status", "302", 0, 8)]
    [InlineData(":path", "/index.html", 5, 4)]
    [InlineData("content-length", "0", 0, 28)]
    [InlineData("www-authenticate", "", 61, 61)]
    [InlineData("x-unknown", "", 0, 0)]
    [InlineData("Content-Length", "", 0, 0)]
    [InlineData("", "", 0, 0)]
    [InlineData("content-lengthx", "", 0, 0)]
    public void Find_matches_whole_names_only(string name, string value, int index, int nameIndex)
    {
        Assert.Equal(index, HpackStaticTable.Find(System.Text.Encoding.ASCII.GetBytes(name), System.Text.Encoding.ASCII.GetBytes(value), out var foundName));
        Assert.Equal(nameIndex, foundName);
    }

    private static (int Index, int NameIndex) Scan(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var nameIndex = 0;
        for (var index = 1; index <= HpackStaticTable.Count; index++)
        {
            if (!name.SequenceEqual(HpackStaticTable.Name(index)))
            {
                continue;
            }

            nameIndex = nameIndex == 0 ? index : nameIndex;
            if (value.SequenceEqual(HpackStaticTable.Value(index)))
            {
                return (index, nameIndex);
            }
        }

        return (0, nameIndex);
    }
}
