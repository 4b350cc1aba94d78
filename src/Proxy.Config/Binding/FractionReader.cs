using System.Globalization;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Binding;

/// <summary>Reads a number between 0 and 1 (a share of traffic, a fraction of the memory budget).</summary>
internal static class FractionReader
{
    public static double Read(TableReader reader, string key, double fallback)
    {
        if (reader.Find(key) is not { } node)
        {
            return fallback;
        }

        if (node is ConfigScalar { Kind: ScalarKind.Float or ScalarKind.Integer or ScalarKind.Untyped } scalar
            && double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value))
        {
            if (value is >= 0 and <= 1)
            {
                return value;
            }

            reader.Errors.Add(reader.ChildPath(key), node.Position, $"{scalar.Text} is out of range (0 to 1)");
            return fallback;
        }

        reader.Errors.Add(reader.ChildPath(key), node.Position, $"expected a number from 0 to 1, got {node.TypeName}");
        return fallback;
    }
}
