using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Reads the first certificate of a PEM chain (the leaf) into a <see cref="CertificateSummary"/>,
/// in managed code over the DER (RFC 5280's TBSCertificate): only for /certs and the logs, never
/// for verification, which is OpenSSL's. Null when the text holds no parsable certificate.
/// </summary>
internal static class X509LeafReader
{
    private const string SubjectAltNameOid = "2.5.29.17";

    private static readonly Dictionary<string, string> AttributeNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.5"] = "serialNumber",
        ["1.2.840.113549.1.9.1"] = "emailAddress",
        ["0.9.2342.19200300.100.1.25"] = "DC",
    };

    public static CertificateSummary? Read(string pem)
    {
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                try
                {
                    return Parse(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
                }
                catch (Exception ex) when (ex is AsnContentException or FormatException or CryptographicException)
                {
                    return null;
                }
            }

            rest = rest[fields.Location.End..];
        }

        return null;
    }

    private static CertificateSummary Parse(byte[] der)
    {
        var certificate = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = certificate.ReadSequence();
        var version = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (tbs.PeekTag().HasSameClassAndValue(version))
        {
            tbs.ReadSequence(version);
        }

        var serial = Convert.ToHexStringLower(tbs.ReadIntegerBytes().Span.TrimStart((byte)0));
        tbs.ReadSequence();
        var issuer = ReadName(tbs.ReadSequence());
        var validity = tbs.ReadSequence();
        var notBefore = ReadTime(validity);
        var notAfter = ReadTime(validity);
        var subject = ReadName(tbs.ReadSequence());
        tbs.ReadSequence();
        var names = ImmutableArray<(string, string)>.Empty;
        var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
        while (tbs.HasData)
        {
            if (!tbs.PeekTag().HasSameClassAndValue(extensionsTag))
            {
                tbs.ReadEncodedValue();
                continue;
            }

            var extensions = tbs.ReadSequence(extensionsTag).ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                var oid = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    extension.ReadBoolean();
                }

                var value = extension.ReadOctetString();
                if (oid == SubjectAltNameOid)
                {
                    names = ReadAltNames(value);
                }
            }
        }

        return new CertificateSummary(subject, issuer, serial.Length == 0 ? "0" : serial, names, notBefore, notAfter);
    }

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    /// <summary>The distinguished name as "CN=a, O=b", in the order it is encoded (OpenSSL's oneline order).</summary>
    private static string ReadName(AsnReader name)
    {
        var text = new StringBuilder();
        while (name.HasData)
        {
            var set = name.ReadSetOf();
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                var tag = attribute.PeekTag();
                var value = tag.TagClass == TagClass.Universal && Enum.IsDefined((UniversalTagNumber)tag.TagValue)
                    ? TryString(attribute, (UniversalTagNumber)tag.TagValue)
                    : null;
                value ??= "#" + Convert.ToHexStringLower(attribute.ReadEncodedValue().Span);
                text.Append(text.Length > 0 ? ", " : "").Append(AttributeNames.GetValueOrDefault(oid, oid)).Append('=').Append(value);
            }
        }

        return text.ToString();
    }

    private static string? TryString(AsnReader reader, UniversalTagNumber type)
    {
        try
        {
            return reader.ReadCharacterString(type);
        }
        catch (Exception ex) when (ex is ArgumentException or AsnContentException)
        {
            return null;
        }
    }

    private static ImmutableArray<(string, string)> ReadAltNames(byte[] value)
    {
        var names = ImmutableArray.CreateBuilder<(string, string)>();
        var sequence = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
        while (sequence.HasData)
        {
            var tag = sequence.PeekTag();
            if (tag.TagClass != TagClass.ContextSpecific)
            {
                sequence.ReadEncodedValue();
                continue;
            }

            switch (tag.TagValue)
            {
                case 1:
                    names.Add(("email", sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag)));
                    break;
                case 2:
                    names.Add(("dns", sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag)));
                    break;
                case 6:
                    names.Add(("uri", sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag)));
                    break;
                case 7:
                    names.Add(("ip", new IPAddress(sequence.ReadOctetString(tag)).ToString()));
                    break;
                default:
                    sequence.ReadEncodedValue();
                    break;
            }
        }

        return names.ToImmutable();
    }
}
