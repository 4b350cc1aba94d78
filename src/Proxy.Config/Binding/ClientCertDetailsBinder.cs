using MeshEdge.Config.Model;

namespace MeshEdge.Config.Binding;

/// <summary>
/// Binds an HTTP listener's <c>forward_client_cert_details</c> (Envoy's mode names, lower case) and
/// <c>set_current_client_cert_details = { subject = true, uri = true, dns = true, cert = true, chain = true }</c>.
/// </summary>
internal static class ClientCertDetailsBinder
{
    private static readonly (string Name, ForwardClientCertDetails Value)[] Modes =
    [
        ("sanitize", ForwardClientCertDetails.Sanitize),
        ("forward_only", ForwardClientCertDetails.ForwardOnly),
        ("append_forward", ForwardClientCertDetails.AppendForward),
        ("sanitize_set", ForwardClientCertDetails.SanitizeSet),
        ("always_forward_only", ForwardClientCertDetails.AlwaysForwardOnly),
    ];

    private static readonly (string Key, ClientCertDetails Flag)[] Details =
    [
        ("subject", ClientCertDetails.Subject),
        ("uri", ClientCertDetails.Uri),
        ("dns", ClientCertDetails.Dns),
        ("cert", ClientCertDetails.Cert),
        ("chain", ClientCertDetails.Chain),
    ];

    public static ForwardClientCertDetails BindMode(TableReader http) =>
        http.Choice("forward_client_cert_details", ForwardClientCertDetails.Sanitize, "forward_client_cert_details mode", Modes);

    public static ClientCertDetails BindDetails(TableReader http)
    {
        if (http.OptionalTableReader("set_current_client_cert_details") is not { } reader)
        {
            return ClientCertDetails.None;
        }

        var details = ClientCertDetails.None;
        foreach (var (key, flag) in Details)
        {
            if (reader.Bool(key, false))
            {
                details |= flag;
            }
        }

        reader.ReportUnknownKeys();
        return details;
    }
}
