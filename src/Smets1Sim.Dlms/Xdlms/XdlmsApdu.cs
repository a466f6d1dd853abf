using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>Tags of the unciphered xDLMS APDUs this library models (Green Book 9.3, COSEMpdu CHOICE).</summary>
public enum XdlmsTag : byte
{
    /// <summary>data-notification [15].</summary>
    DataNotification = 0x0F,
    /// <summary>get-request [192].</summary>
    GetRequest = 0xC0,
    /// <summary>set-request [193].</summary>
    SetRequest = 0xC1,
    /// <summary>event-notification-request [194].</summary>
    EventNotificationRequest = 0xC2,
    /// <summary>action-request [195].</summary>
    ActionRequest = 0xC3,
    /// <summary>get-response [196].</summary>
    GetResponse = 0xC4,
    /// <summary>set-response [197].</summary>
    SetResponse = 0xC5,
    /// <summary>action-response [199].</summary>
    ActionResponse = 0xC7,
    /// <summary>confirmedServiceError [14].</summary>
    ConfirmedServiceError = 0x0E,
    /// <summary>exception-response [216].</summary>
    ExceptionResponse = 0xD8,
}

/// <summary>
/// An unciphered xDLMS APDU (Green Book 9.3). Immutable; decode with <see cref="XdlmsApduCodec.Decode"/>
/// and pattern-match on the concrete record.
/// </summary>
public abstract record XdlmsApdu
{
    private protected XdlmsApdu()
    {
    }

    /// <summary>The APDU tag (first byte).</summary>
    public abstract XdlmsTag Tag { get; }

    /// <summary>Writes the complete APDU, tag first.</summary>
    public abstract void Encode(IBufferWriter<byte> writer);

    /// <summary>The complete APDU as a new array.</summary>
    public byte[] ToArray() => DlmsWriter.ToArray(Encode);
}
