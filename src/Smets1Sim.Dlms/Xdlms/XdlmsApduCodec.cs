using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>
/// The single decoding entry point for unciphered xDLMS APDUs. The whole input must be one APDU: trailing
/// bytes are an error. Every defect throws <see cref="DlmsProtocolException"/> with its absolute offset;
/// counts and lengths are checked against the remaining input (and <see cref="AxdrLimits"/> for embedded
/// data) before anything is allocated.
/// </summary>
public static class XdlmsApduCodec
{
    /// <summary>Decodes one APDU that fills <paramref name="apdu"/>.</summary>
    /// <param name="apdu">The APDU bytes, tag first.</param>
    /// <param name="limits">Bounds for every embedded Data value; <see cref="AxdrLimits.Default"/> when null.</param>
    /// <param name="baseOffset">Added to reported offsets, for an APDU that sits inside a larger frame.</param>
    public static XdlmsApdu Decode(ReadOnlySpan<byte> apdu, AxdrLimits? limits = null, int baseOffset = 0)
    {
        var reader = new DlmsReader(apdu, baseOffset);
        XdlmsApdu result = Read(ref reader, limits ?? AxdrLimits.Default);
        reader.ExpectEnd("the APDU");
        return result;
    }

    /// <summary>Decodes one APDU and requires it to be a <typeparamref name="T"/>.</summary>
    public static T Decode<T>(ReadOnlySpan<byte> apdu, AxdrLimits? limits = null, int baseOffset = 0)
        where T : XdlmsApdu
        => Decode(apdu, limits, baseOffset) is T typed
            ? typed
            : throw new DlmsProtocolException($"expected {typeof(T).Name}, got tag 0x{apdu[0]:X2}", baseOffset);

    internal static XdlmsApdu Read(ref DlmsReader reader, AxdrLimits limits)
    {
        byte tag = reader.PeekByte("xDLMS APDU tag");
        return (XdlmsTag)tag switch
        {
            XdlmsTag.GetRequest => GetRequest.Read(ref reader, limits),
            XdlmsTag.GetResponse => GetResponse.Read(ref reader, limits),
            XdlmsTag.SetRequest => SetRequest.Read(ref reader, limits),
            XdlmsTag.SetResponse => SetResponse.Read(ref reader),
            XdlmsTag.ActionRequest => ActionRequest.Read(ref reader, limits),
            XdlmsTag.ActionResponse => ActionResponse.Read(ref reader, limits),
            XdlmsTag.DataNotification => DataNotification.Read(ref reader, limits),
            XdlmsTag.EventNotificationRequest => EventNotificationRequest.Read(ref reader, limits),
            // Fixed-size APDUs that decode from their own span; they sit at the start of the input in practice.
            XdlmsTag.ConfirmedServiceError => ConfirmedServiceError.Decode(reader.ReadBytes(reader.Remaining, "confirmedServiceError")),
            XdlmsTag.ExceptionResponse => ExceptionResponse.Decode(reader.ReadBytes(reader.Remaining, "exception-response")),
            _ => throw reader.Error($"unknown xDLMS APDU tag 0x{tag:X2}"),
        };
    }
}
