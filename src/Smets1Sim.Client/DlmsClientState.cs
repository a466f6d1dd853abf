namespace Smets1Sim.Client;

/// <summary>Where a <see cref="DlmsClient"/> is in its life.</summary>
public enum DlmsClientState
{
    /// <summary>No TCP connection.</summary>
    Disconnected = 0,

    /// <summary>TCP connected, no application association.</summary>
    Connected = 1,

    /// <summary>The association is open (HLS passes 3 and 4 done when HLS-GMAC is used): services may be called.</summary>
    Associated = 2,

    /// <summary>
    /// The connection lost protocol sync (bad frame, security failure, timeout or cancellation mid-response, peer
    /// closed): it refuses every further call and must be disposed.
    /// </summary>
    Broken = 3,

    /// <summary>Disposed.</summary>
    Disposed = 4,
}
