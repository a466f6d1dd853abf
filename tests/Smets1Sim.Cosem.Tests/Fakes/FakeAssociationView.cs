using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests.Fakes;

/// <summary>An association whose every attribute is set by the test; records HLS pass 3/4 calls.</summary>
internal sealed class FakeAssociationView : IAssociationView
{
    public ushort ClientSap { get; init; } = 0x10;

    public ushort ServerSap { get; init; } = 0x01;

    public IReadOnlyList<ObjectListEntry> ObjectList { get; init; } = [];

    public byte ApplicationContextId { get; init; } = 1;

    public byte MechanismId { get; init; }

    public byte AssociationStatus { get; init; } = 2;

    public (uint Conformance, ushort MaxReceivePduSize, byte DlmsVersion) XdlmsContext { get; init; } = (0x00181D, 0x04B0, 6);

    public ObisCode? SecuritySetupReference { get; init; }

    /// <summary>What <see cref="ReplyToHlsAuthentication"/> answers.</summary>
    public ActionOutcome HlsReply { get; init; } = ActionOutcome.Failure(ActionResult.OtherReason);

    /// <summary>The parameters of every reply_to_HLS_authentication call, in order.</summary>
    public List<DlmsValue?> HlsCalls { get; } = [];

    public ActionOutcome ReplyToHlsAuthentication(DlmsValue? parameters)
    {
        HlsCalls.Add(parameters);
        return HlsReply;
    }
}
