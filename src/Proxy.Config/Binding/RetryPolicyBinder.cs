using System.Collections.Immutable;
using MeshEdge.Config.Model;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>Binds <c>retry_policy = { retry_on = ["connect-failure", "5xx"], num_retries = 2, per_try_timeout = "1s" }</c>.</summary>
internal static class RetryPolicyBinder
{
    private static readonly (string Name, RetryOn Value)[] Conditions =
    [
        ("connect-failure", RetryOn.ConnectFailure),
        ("reset", RetryOn.Reset),
        ("5xx", RetryOn.ServerError),
        ("gateway-error", RetryOn.GatewayError),
        ("retriable-status-codes", RetryOn.RetriableStatusCodes),
        ("per-try-timeout", RetryOn.PerTryTimeout),
    ];

    public static RetryPolicyConfig Bind(TableReader reader)
    {
        var on = RetryOn.None;
        var path = reader.ChildPath("retry_on");
        if (reader.OptionalArray("retry_on") is { } array)
        {
            for (var i = 0; i < array.Items.Count; i++)
            {
                if (NodeConverter.TryChoice(array.Items[i], KeyPath.Index(path, i), reader.Errors, "retry condition", Conditions, out var condition))
                {
                    on |= condition;
                }
            }
        }
        else if (!reader.Errors.HasErrorsUnder(path))
        {
            reader.Errors.Add(path, reader.Table.Position, "missing required key (e.g. retry_on = [\"connect-failure\", \"5xx\"])");
        }

        var retries = reader.Int("num_retries", 1, 0, 10);
        var perTry = reader.Duration("per_try_timeout", TimeSpan.Zero, allowZero: true);
        var codes = ImmutableArray.CreateBuilder<int>();
        if (reader.OptionalArray("retriable_status_codes") is { } codeArray)
        {
            for (var i = 0; i < codeArray.Items.Count; i++)
            {
                if (NodeConverter.TryInt(codeArray.Items[i], KeyPath.Index(reader.ChildPath("retriable_status_codes"), i), reader.Errors, 100, 599, out var code))
                {
                    codes.Add(code);
                }
            }
        }

        reader.ReportUnknownKeys();
        return new RetryPolicyConfig(on, retries, perTry, codes.ToImmutable());
    }
}
