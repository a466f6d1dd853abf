using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>state-error of an ExceptionResponse (Green Book, EXCEPTION-Response).</summary>
public enum ExceptionStateError : byte
{
    /// <summary>service-not-allowed.</summary>
    ServiceNotAllowed = 1,

    /// <summary>service-unknown.</summary>
    ServiceUnknown = 2,
}

/// <summary>service-error of an ExceptionResponse (Green Book, EXCEPTION-Response).</summary>
public enum ExceptionServiceError : byte
{
    /// <summary>operation-not-possible.</summary>
    OperationNotPossible = 1,

    /// <summary>service-not-supported.</summary>
    ServiceNotSupported = 2,

    /// <summary>other-reason.</summary>
    OtherReason = 3,

    /// <summary>pdu-too-long.</summary>
    PduTooLong = 4,

    /// <summary>deciphering-error.</summary>
    DecipheringError = 5,

    /// <summary>invocation-counter-error: the expected invocation counter follows.</summary>
    InvocationCounterError = 6,
}

/// <summary>
/// xDLMS ExceptionResponse (Green Book, tag 216), A-XDR encoded:
/// <code>
/// D8 | state-error | service-error [ | expected invocation counter (u32), only for invocation-counter-error ]
/// </code>
/// </summary>
public sealed record ExceptionResponse : XdlmsApdu
{
    /// <summary>The xDLMS APDU tag, exception-response [216].</summary>
    public const byte TagByte = 0xD8;

    /// <summary>state-error.</summary>
    public required ExceptionStateError StateError { get; init; }

    /// <summary>service-error.</summary>
    public required ExceptionServiceError ServiceError { get; init; }

    /// <summary>The invocation counter the server expects; set exactly when <see cref="ServiceError"/> is invocation-counter-error.</summary>
    public uint? ExpectedInvocationCounter { get; init; }

    /// <inheritdoc />
    public override XdlmsTag Tag => XdlmsTag.ExceptionResponse;

    /// <summary>Writes the A-XDR encoding.</summary>
    /// <exception cref="InvalidOperationException">
    /// <see cref="ExpectedInvocationCounter"/> is missing for invocation-counter-error, or set for another error.
    /// </exception>
    public override void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        bool needsCounter = ServiceError == ExceptionServiceError.InvocationCounterError;
        if (needsCounter != ExpectedInvocationCounter.HasValue)
        {
            throw new InvalidOperationException(needsCounter
                ? "invocation-counter-error needs ExpectedInvocationCounter"
                : "ExpectedInvocationCounter is sent only with invocation-counter-error");
        }

        writer.WriteByte(TagByte);
        writer.WriteByte((byte)StateError);
        writer.WriteByte((byte)ServiceError);
        if (ExpectedInvocationCounter is { } counter)
        {
            writer.WriteUInt32(counter);
        }
    }


    /// <summary>Decodes exactly one ExceptionResponse that fills <paramref name="input"/>.</summary>
    /// <exception cref="DlmsProtocolException">The bytes are not a well-formed ExceptionResponse.</exception>
    public static ExceptionResponse Decode(ReadOnlySpan<byte> input)
    {
        var reader = new DlmsReader(input);
        reader.Expect(TagByte, "ExceptionResponse");

        byte state = reader.PeekByte("state-error");
        if (state is < (byte)ExceptionStateError.ServiceNotAllowed or > (byte)ExceptionStateError.ServiceUnknown)
        {
            throw reader.Error($"unknown state-error {state}");
        }

        reader.ReadByte("state-error");
        byte service = reader.PeekByte("service-error");
        if (service is < (byte)ExceptionServiceError.OperationNotPossible or > (byte)ExceptionServiceError.InvocationCounterError)
        {
            throw reader.Error($"unknown service-error {service}");
        }

        reader.ReadByte("service-error");
        uint? expected = service == (byte)ExceptionServiceError.InvocationCounterError
            ? reader.ReadUInt32("expected invocation counter")
            : null;
        reader.ExpectEnd("ExceptionResponse");
        return new ExceptionResponse
        {
            StateError = (ExceptionStateError)state,
            ServiceError = (ExceptionServiceError)service,
            ExpectedInvocationCounter = expected,
        };
    }
}
