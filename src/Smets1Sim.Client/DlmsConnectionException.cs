using System.Net.Sockets;
using Smets1Sim.Dlms;

namespace Smets1Sim.Client;

/// <summary>
/// Communication with the server failed: no TCP connection, a reset, the peer closing (possibly mid-frame), or no
/// reply within the response timeout. Always transient: the same exchange may work on a new connection. The socket,
/// I/O or end-of-stream exception that caused it is the <see cref="Exception.InnerException"/> (as Npgsql and MQTTnet
/// wrap theirs), so callers catch one type. Whether the server acted on a request whose reply was lost is unknown.
/// </summary>
public sealed class DlmsConnectionException : DlmsException
{
    /// <summary>Creates the exception.</summary>
    public DlmsConnectionException(DlmsFailureKind kind, string message, Exception? innerException = null)
        : base(kind, message, innerException)
    {
        if (kind is not (DlmsFailureKind.Connection or DlmsFailureKind.Timeout))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "a connection failure is Connection or Timeout");
        }
    }

    /// <summary>Always: a new connection may succeed.</summary>
    public override bool IsTransient => true;

    /// <summary>True when the cause is one this type wraps: socket, I/O (end of stream included) or timeout.</summary>
    public static bool IsCommunicationFailure(Exception exception) =>
        exception is SocketException or IOException or TimeoutException;

    /// <summary>Wraps a socket, I/O, end-of-stream or timeout exception; <paramref name="where"/> names the endpoint and step.</summary>
    public static DlmsConnectionException Wrap(Exception exception, string where)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            TimeoutException => new DlmsConnectionException(DlmsFailureKind.Timeout, $"{where}: {exception.Message}", exception),
            SocketException socket => new DlmsConnectionException(DlmsFailureKind.Connection, $"{where}: {socket.SocketErrorCode}: {socket.Message}", socket),
            _ => new DlmsConnectionException(DlmsFailureKind.Connection, $"{where}: {exception.Message}", exception),
        };
    }
}
