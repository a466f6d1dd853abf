using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>The service a ConfirmedServiceError reports on (Green Book, ConfirmedServiceError CHOICE; tag 0 is reserved).</summary>
public enum ConfirmedServiceErrorChoice : byte
{
    /// <summary>initiateError [1]: the xDLMS InitiateRequest was refused (sent in the AARE user-information).</summary>
    InitiateError = 1,

    /// <summary>getStatus [2] (not used in DLMS).</summary>
    GetStatus = 2,

    /// <summary>getNameList [3] (not used in DLMS).</summary>
    GetNameList = 3,

    /// <summary>getVariableAttribute [4] (not used in DLMS).</summary>
    GetVariableAttribute = 4,

    /// <summary>read [5] (short name referencing).</summary>
    Read = 5,

    /// <summary>write [6] (short name referencing).</summary>
    Write = 6,

    /// <summary>getDataSetAttribute [7] (not used in DLMS).</summary>
    GetDataSetAttribute = 7,

    /// <summary>getTIAttribute [8] (not used in DLMS).</summary>
    GetTIAttribute = 8,

    /// <summary>changeScope [9] (not used in DLMS).</summary>
    ChangeScope = 9,

    /// <summary>start [10] (not used in DLMS).</summary>
    Start = 10,

    /// <summary>stop [11] (not used in DLMS).</summary>
    Stop = 11,

    /// <summary>resume [12] (not used in DLMS).</summary>
    Resume = 12,

    /// <summary>makeUsable [13] (not used in DLMS).</summary>
    MakeUsable = 13,

    /// <summary>initiateLoad [14] (not used in DLMS).</summary>
    InitiateLoad = 14,

    /// <summary>loadSegment [15] (not used in DLMS).</summary>
    LoadSegment = 15,

    /// <summary>terminateLoad [16] (not used in DLMS).</summary>
    TerminateLoad = 16,

    /// <summary>initiateUpLoad [17] (not used in DLMS).</summary>
    InitiateUpLoad = 17,

    /// <summary>upLoadSegment [18] (not used in DLMS).</summary>
    UpLoadSegment = 18,

    /// <summary>terminateUpLoad [19] (not used in DLMS).</summary>
    TerminateUpLoad = 19,
}

/// <summary>The ServiceError CHOICE: which family the error value belongs to (Green Book, ServiceError).</summary>
public enum ServiceErrorType : byte
{
    /// <summary>application-reference [0].</summary>
    ApplicationReference = 0,

    /// <summary>hardware-resource [1].</summary>
    HardwareResource = 1,

    /// <summary>vde-state-error [2].</summary>
    VdeStateError = 2,

    /// <summary>service [3].</summary>
    Service = 3,

    /// <summary>definition [4].</summary>
    Definition = 4,

    /// <summary>access [5].</summary>
    Access = 5,

    /// <summary>initiate [6]: values in <see cref="InitiateError"/>.</summary>
    Initiate = 6,

    /// <summary>load-data-set [7].</summary>
    LoadDataSet = 7,

    /// <summary>change-scope [8].</summary>
    ChangeScope = 8,

    /// <summary>task [9].</summary>
    Task = 9,

    /// <summary>other [10].</summary>
    Other = 10,
}

/// <summary>Values of the ServiceError initiate [6] alternative.</summary>
public enum InitiateError : byte
{
    /// <summary>other.</summary>
    Other = 0,

    /// <summary>dlms-version-too-low: the proposed DLMS version is too low.</summary>
    DlmsVersionTooLow = 1,

    /// <summary>incompatible-conformance: the proposed services are not sufficient.</summary>
    IncompatibleConformance = 2,

    /// <summary>pdu-size-too-short: the proposed client max receive PDU size is too short.</summary>
    PduSizeTooShort = 3,

    /// <summary>refused-by-the-VDE-Handler: the association cannot be created or is not allowed.</summary>
    RefusedByTheVdeHandler = 4,
}

/// <summary>
/// xDLMS ConfirmedServiceError (Green Book, tag 14), A-XDR encoded:
/// <code>
/// 0E | service (ConfirmedServiceErrorChoice) | ServiceError choice (ServiceErrorType) | value (ENUMERATED)
/// </code>
/// e.g. <c>0E 01 06 01</c>: initiateError, initiate, dlms-version-too-low.
/// </summary>
public sealed record ConfirmedServiceError : XdlmsApdu
{
    /// <summary>The xDLMS APDU tag, confirmedServiceError [14].</summary>
    public const byte TagByte = 0x0E;

    /// <summary>The service the error reports on.</summary>
    public required ConfirmedServiceErrorChoice Service { get; init; }

    /// <summary>The ServiceError alternative.</summary>
    public required ServiceErrorType ErrorType { get; init; }

    /// <summary>The ENUMERATED value inside the alternative, kept raw (its meaning depends on <see cref="ErrorType"/>).</summary>
    public required byte Value { get; init; }

    /// <summary>The value as an <see cref="Xdlms.InitiateError"/> when <see cref="ErrorType"/> is initiate; otherwise null.</summary>
    public InitiateError? InitiateError => ErrorType == ServiceErrorType.Initiate ? (InitiateError)Value : null;

    /// <summary>The error a server returns in the AARE when it refuses the xDLMS InitiateRequest.</summary>
    public static ConfirmedServiceError ForInitiate(InitiateError error) => new()
    {
        Service = ConfirmedServiceErrorChoice.InitiateError,
        ErrorType = ServiceErrorType.Initiate,
        Value = (byte)error,
    };

    /// <inheritdoc />
    public override XdlmsTag Tag => XdlmsTag.ConfirmedServiceError;

    /// <summary>Writes the A-XDR encoding.</summary>
    public override void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(TagByte);
        writer.WriteByte((byte)Service);
        writer.WriteByte((byte)ErrorType);
        writer.WriteByte(Value);
    }


    /// <summary>Decodes exactly one ConfirmedServiceError that fills <paramref name="input"/>.</summary>
    /// <exception cref="DlmsProtocolException">The bytes are not a well-formed ConfirmedServiceError.</exception>
    public static ConfirmedServiceError Decode(ReadOnlySpan<byte> input)
    {
        var reader = new DlmsReader(input);
        reader.Expect(TagByte, "ConfirmedServiceError");

        byte service = reader.PeekByte("ConfirmedServiceError service");
        if (service is < (byte)ConfirmedServiceErrorChoice.InitiateError or > (byte)ConfirmedServiceErrorChoice.TerminateUpLoad)
        {
            throw reader.Error($"unknown ConfirmedServiceError service {service}");
        }

        reader.ReadByte("ConfirmedServiceError service");
        byte errorType = reader.PeekByte("ServiceError choice");
        if (errorType > (byte)ServiceErrorType.Other)
        {
            throw reader.Error($"unknown ServiceError choice {errorType}");
        }

        reader.ReadByte("ServiceError choice");
        byte value = reader.ReadByte("ServiceError value");
        reader.ExpectEnd("ConfirmedServiceError");
        return new ConfirmedServiceError
        {
            Service = (ConfirmedServiceErrorChoice)service,
            ErrorType = (ServiceErrorType)errorType,
            Value = value,
        };
    }
}
