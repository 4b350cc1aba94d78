namespace MeshEdge.Codecs.Http1;

/// <summary>
/// The message body length rules of RFC 9112 §6.3, applied once the head is complete. Where the RFC
/// lets a recipient choose between repairing and rejecting, the proxy rejects: it forwards to peers it
/// does not know, and only a message every parser reads the same way is safe to forward.
/// </summary>
internal static class Http1FramingRules
{
    public static Http1Error ForRequest(in Http1HeadFacts facts, Http1Version version, out Http1BodyFraming framing)
    {
        framing = Http1BodyFraming.None;
        if (facts.HostCount > 1)
        {
            return Http1Error.MultipleHost;
        }

        if (facts.HostCount == 0 && version == Http1Version.Http11)
        {
            return Http1Error.MissingHost;
        }

        if (facts.HostInvalid)
        {
            return Http1Error.InvalidHost;
        }

        if (facts.TransferCodings.Present)
        {
            var error = CheckTransferEncoding(facts, version);
            if (error != Http1Error.None)
            {
                return error;
            }

            // A request whose last coding is not chunked has no knowable length (§6.3 item 4).
            if (!facts.TransferCodings.ChunkedIsLast)
            {
                return Http1Error.ChunkedNotLast;
            }

            framing = Http1BodyFraming.Chunked;
            return Http1Error.None;
        }

        // No Content-Length and no Transfer-Encoding: a request has no body (§6.3 item 7).
        framing = facts.ContentLength >= 0 ? Http1BodyFraming.Length(facts.ContentLength) : Http1BodyFraming.None;
        return Http1Error.None;
    }

    public static Http1Error ForResponse(
        in Http1HeadFacts facts,
        Http1Version version,
        int statusCode,
        Http1Method requestMethod,
        out Http1BodyFraming framing,
        out bool isTunnel)
    {
        framing = Http1BodyFraming.None;
        isTunnel = statusCode == 101 || (requestMethod == Http1Method.Connect && statusCode is >= 200 and < 300);

        // §6.3 items 1-2: these never have a body, whatever their framing fields say.
        if (isTunnel || requestMethod == Http1Method.Head || statusCode < 200 || statusCode is 204 or 304)
        {
            return Http1Error.None;
        }

        if (facts.TransferCodings.Present)
        {
            var error = CheckTransferEncoding(facts, version);
            if (error != Http1Error.None)
            {
                return error;
            }

            // §6.3 item 4: a response whose last coding is not chunked is delimited by the close.
            framing = facts.TransferCodings.ChunkedIsLast ? Http1BodyFraming.Chunked : Http1BodyFraming.UntilClose;
            return Http1Error.None;
        }

        framing = facts.ContentLength >= 0 ? Http1BodyFraming.Length(facts.ContentLength) : Http1BodyFraming.UntilClose;
        return Http1Error.None;
    }

    private static Http1Error CheckTransferEncoding(in Http1HeadFacts facts, Http1Version version)
    {
        if (version == Http1Version.Http10)
        {
            return Http1Error.TransferEncodingInHttp10;
        }

        // §6.1 allows Transfer-Encoding to override Content-Length; both together is the CL.TE/TE.CL
        // smuggling signature, so it is refused (as §6.3 item 3 permits) instead.
        if (facts.ContentLength >= 0)
        {
            return Http1Error.ContentLengthWithTransferEncoding;
        }

        return facts.TransferCodings.IsEmptyList ? Http1Error.InvalidTransferEncoding : Http1Error.None;
    }
}
