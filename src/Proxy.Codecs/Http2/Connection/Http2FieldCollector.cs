using System.Runtime.CompilerServices;
using MeshEdge.Codecs.Http2.Hpack;

namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// The HPACK handler of one received field block: checks each field as it comes (RFC 9113 §8.2,
/// §8.3) and copies it into the connection's pooled block, so the whole list can be handed out as
/// views once the block is known good. After the first error it copies nothing more; HPACK still
/// decodes the block to its end so the table stays in step.
/// </summary>
internal struct Http2FieldCollector : IHpackHeaderHandler
{
    private readonly byte[] _block;
    private readonly Http2FieldRef[] _fields;
    private readonly bool _response;
    private readonly bool _trailers;
    private int _used;
    private bool _regularSeen;

    public Http2FieldCollector(byte[] block, Http2FieldRef[] fields, bool response, bool trailers)
    {
        _block = block;
        _fields = fields;
        _response = response;
        _trailers = trailers;
        Pseudo = Http2PseudoHeaders.None;
    }

    public int Count { get; private set; }

    public Http2PseudoHeaders Pseudo;

    public Http2FieldError Error { get; private set; }

    public readonly Http2HeaderFields View => new(_block, _fields.AsSpan(0, Count), Pseudo);

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
    {
        if (Error != Http2FieldError.None)
        {
            return;
        }

        Error = Http2FieldRules.CheckName(name) is var nameError && nameError != Http2FieldError.None ? nameError
            : Http2FieldRules.CheckValue(value) ? Http2FieldError.InvalidValue
            : name[0] == (byte)':' ? TakePseudo(name, value)
            : TakeRegular(name, value);
        if (Error != Http2FieldError.None)
        {
            return;
        }

        if (Count == _fields.Length || _used + name.Length + value.Length > _block.Length)
        {
            // Cannot happen within the decoder's limits, which bound both; kept as a guard, never an overrun.
            Error = Http2FieldError.InvalidName;
            return;
        }

        name.CopyTo(_block.AsSpan(_used));
        value.CopyTo(_block.AsSpan(_used + name.Length));
        _fields[Count++] = new Http2FieldRef(_used, name.Length, _used + name.Length, value.Length, neverIndexed);
        _used += name.Length + value.Length;
    }

    /// <summary>The checks that need the whole block: the pseudo-headers a request or response must have.</summary>
    public void Finish()
    {
        if (Error != Http2FieldError.None || _trailers)
        {
            return;
        }

        Error = _response ? (Pseudo.Status == 0 ? Http2FieldError.MissingPseudo : Http2FieldError.None) : CheckRequest();
    }

    private readonly Http2FieldError CheckRequest()
    {
        if (Pseudo.Method < 0)
        {
            return Http2FieldError.MissingPseudo;
        }

        if (ValueAt(Pseudo.Method).SequenceEqual("CONNECT"u8))
        {
            return Pseudo.Authority < 0 ? Http2FieldError.MissingPseudo
                : Pseudo.Scheme >= 0 || Pseudo.Path >= 0 ? Http2FieldError.ConnectWithSchemeOrPath
                : Http2FieldError.None;
        }

        return Pseudo.Scheme < 0 || Pseudo.Path < 0 ? Http2FieldError.MissingPseudo
            : _fields[Pseudo.Path].ValueLength == 0 ? Http2FieldError.EmptyPath
            : Http2FieldError.None;
    }

    private Http2FieldError TakePseudo(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_trailers)
        {
            return Http2FieldError.PseudoInTrailers;
        }

        if (_regularSeen)
        {
            return Http2FieldError.PseudoAfterRegular;
        }

        ref var slot = ref Http2FieldRules.PseudoSlot(ref Pseudo, name, _response);
        if (Unsafe.IsNullRef(ref slot))
        {
            return Http2FieldError.UnknownPseudo;
        }

        if (slot >= 0)
        {
            return Http2FieldError.DuplicatePseudo;
        }

        if (_response && (Pseudo.Status = Http2FieldRules.ParseStatus(value)) == 0)
        {
            return Http2FieldError.InvalidStatus;
        }

        slot = Count;
        Pseudo.Count++;
        return Http2FieldError.None;
    }

    private Http2FieldError TakeRegular(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        _regularSeen = true;
        if (Http2FieldRules.IsConnectionSpecific(name))
        {
            return Http2FieldError.ConnectionSpecific;
        }

        if (name.SequenceEqual("te"u8) && !value.SequenceEqual("trailers"u8))
        {
            return Http2FieldError.InvalidTe;
        }

        if (name.SequenceEqual("content-length"u8))
        {
            var length = Http2FieldRules.ParseContentLength(value);
            if (length < 0 || (Pseudo.ContentLength >= 0 && Pseudo.ContentLength != length))
            {
                return Http2FieldError.InvalidContentLength;
            }

            Pseudo.ContentLength = length;
        }

        return Http2FieldError.None;
    }

    private readonly ReadOnlySpan<byte> ValueAt(int index) => _block.AsSpan(_fields[index].ValueStart, _fields[index].ValueLength);
}
