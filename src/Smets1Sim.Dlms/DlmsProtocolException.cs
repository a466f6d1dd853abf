namespace Smets1Sim.Dlms;

/// <summary>
/// The peer sent bytes that do not form a valid DLMS/COSEM structure: a bad tag, a length that overruns
/// the input or a configured limit, a value out of range. <see cref="Offset"/> is the byte offset into the
/// buffer handed to the decoder where the defect was found.
/// </summary>
public sealed class DlmsProtocolException : DlmsException
{
    /// <summary>Creates the exception for a defect found at <paramref name="offset"/>.</summary>
    public DlmsProtocolException(string reason, int offset)
        : base(DlmsFailureKind.Protocol, $"{reason} (at offset {offset})")
    {
        Reason = reason;
        Offset = offset;
    }

    /// <summary>What was wrong, without the offset.</summary>
    public string Reason { get; }

    /// <summary>Byte offset into the decoder's input where the defect was found.</summary>
    public int Offset { get; }

    /// <summary>Never: a peer that sent bad bytes once sends them again; the connection is closed, not retried.</summary>
    public override bool IsTransient => false;
}
