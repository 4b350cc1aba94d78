using MeshEdge.Config.AccessLog;
using MeshEdge.Config.Model;

namespace MeshEdge.Config.Binding;

/// <summary>Binds an <c>access_log = { path, format }</c> table, of an HTTP listener or of an rpc_proxy.</summary>
internal static class AccessLogBinder
{
    public const string Key = "access_log";

    /// <summary>The table under <see cref="Key"/>, or null when absent; the format is checked against the dialect's operators.</summary>
    public static AccessLogConfig? BindOptional(TableReader parent, AccessLogDialect dialect)
    {
        if (parent.OptionalTableReader(Key) is not { } reader)
        {
            return null;
        }

        var path = reader.OptionalString("path") ?? "stdout";
        var format = reader.OptionalString("format")
            ?? (dialect == AccessLogDialect.Rpc ? ConfigDefaults.RpcAccessLogFormat : ConfigDefaults.AccessLogFormat);
        AccessLogFormat.Parse(format, dialect, out var problem);
        if (problem is not null)
        {
            reader.Errors.Add(reader.ChildPath("format"), reader.Table.PositionOf("format"), problem);
        }

        if (path.Length == 0)
        {
            reader.Errors.Add(reader.ChildPath("path"), reader.Table.PositionOf("path"), "expected \"stdout\", \"stderr\" or a file path");
        }

        reader.ReportUnknownKeys();
        return new AccessLogConfig(path, format);
    }
}
