using MeshEdge.Config.Translation;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Prints what <c>meshedge validate</c> says about an Envoy or MOSN config: per resource type how many
/// were taken whole, taken with parts left out, or left out, then every key left out by path.
/// </summary>
internal static class TranslationReportWriter
{
    public static void Write(TextWriter output, string source, TranslationReport report)
    {
        output.WriteLine($"{source}: read as {report.Format}");
        foreach (var resource in report.Resources)
        {
            output.WriteLine($"  {resource.Type + "s:",-10} {resource.Total,4} total, {resource.Supported} supported, {resource.Partly} partly supported, {resource.Unsupported} unsupported");
        }

        output.WriteLine($"  unsupported keys: {report.Unsupported.Length}");
        foreach (var unsupported in report.Unsupported)
        {
            output.WriteLine($"    {unsupported.Path}: {unsupported.Reason}");
        }
    }

    /// <summary>At start: one warning per key left out, so that the log says what this process does not do.</summary>
    public static void Log(TranslationReport report)
    {
        foreach (var unsupported in report.Unsupported)
        {
            Hosting.Log.Warn("config key not supported", ("format", report.Format), ("path", unsupported.Path), ("reason", unsupported.Reason));
        }
    }
}
