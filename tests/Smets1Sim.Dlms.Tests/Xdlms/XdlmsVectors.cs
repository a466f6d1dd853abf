using System.Collections.Immutable;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Dlms.Tests.Xdlms;

/// <summary>
/// Valid APDUs with their expected bytes. The first five are the docs/dlms-wire.md vectors; the rest were written by
/// hand from the Green Book 9.3 layouts (never produced by the encoder under test).
/// </summary>
internal static class XdlmsVectors
{
    public static readonly InvokeIdAndPriority C1 = new(0xC1);

    public static readonly ObisCode Clock = new(0, 0, 1, 0, 0, 255);
    public static readonly ObisCode SecuritySetup = new(0, 0, 43, 0, 0, 255);
    public static readonly ObisCode ProfileGeneric = new(1, 0, 99, 1, 0, 255);
    public static readonly ObisCode ActiveEnergyImport = new(1, 0, 1, 8, 0, 255);
    public static readonly ObisCode DeviceId = new(0, 0, 96, 1, 1, 255);
    public static readonly ObisCode DisconnectControl = new(0, 0, 96, 3, 10, 255);
    public static readonly ObisCode EventLog = new(0, 0, 99, 98, 0, 255);

    public static readonly CosemDateTime SampleTime = new(new CosemDate(2025, 1, 15, 3), new CosemTime(12, 30, 0, 0), -60, ClockStatus.None);
    public const string SampleTimeHex = "07E9010F030C1E0000FFC400";

    public static readonly byte[] WrappedKey = Convert.FromHexString("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    private static readonly byte[] Ramp200 = [.. Enumerable.Range(0, 200).Select(i => (byte)i)];

    public static readonly IReadOnlyList<(string Name, string Hex, XdlmsApdu Apdu)> All =
    [
        // docs/dlms-wire.md section 3: key_transfer of a new EK wrapped under the KEK.
        ("ActionRequestNormal_KeyTransfer",
            "C3 01 C1 00 40 00 00 2B 00 00 FF 02 01 01 01 02 02 16 00 09 18 1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5",
            new ActionRequestNormal(C1, new CosemMethodDescriptor(64, SecuritySetup, 2),
                DlmsValue.Array(DlmsValue.Structure(new DlmsEnum(0), DlmsValue.OctetString(WrappedKey))))),
        ("ActionResponseNormal_Success", "C7 01 C1 00 00", new ActionResponseNormal(C1, ActionResult.Success)),
        ("GetRequestNormal_Clock", "C0 01 00 00 08 00 00 01 00 00 FF 02 00",
            new GetRequestNormal(new InvokeIdAndPriority(0x00), new CosemAttributeDescriptor(8, Clock, 2))),
        ("GetResponseWithDataBlock_First", "C4 02 C1 00 00 00 00 01 00 05 01 02 03 04 05",
            new GetResponseWithDataBlock(C1, false, 1, new byte[] { 1, 2, 3, 4, 5 })),
        ("GetRequestNext", "C0 02 C1 00 00 00 01", new GetRequestNext(C1, 1)),
        ("ActionResponseNormal_WithData", "C7 01 C1 00 01 00 09 04 01 02 03 04",
            new ActionResponseNormal(C1, ActionResult.Success, DlmsValue.OctetString([1, 2, 3, 4]))),

        // GET
        ("GetRequestNormal_Selective",
            "C0 01 C1 00 07 01 00 63 01 00 FF 02 01 02 02 04 06 00 00 00 01 06 00 00 00 0A 12 00 01 12 00 00",
            new GetRequestNormal(C1, new CosemAttributeDescriptor(7, ProfileGeneric, 2),
                new SelectiveAccessDescriptor(2, DlmsValue.Structure(
                    new DlmsDoubleLongUnsigned(1), new DlmsDoubleLongUnsigned(10), new DlmsLongUnsigned(1), new DlmsLongUnsigned(0))))),
        ("GetRequestWithList_Empty", "C0 03 C1 00", new GetRequestWithList(C1, [])),
        ("GetRequestWithList_OneSelective", "C0 03 C1 01 00 07 01 00 63 01 00 FF 02 01 01 00",
            new GetRequestWithList(C1, [new CosemAttributeDescriptorWithSelection(
                new CosemAttributeDescriptor(7, ProfileGeneric, 2), new SelectiveAccessDescriptor(1, DlmsValue.Null))])),
        ("GetRequestWithList_Two", "C0 03 C1 02 00 08 00 00 01 00 00 FF 02 00 00 03 01 00 01 08 00 FF 02 00",
            new GetRequestWithList(C1, [new CosemAttributeDescriptor(8, Clock, 2), new CosemAttributeDescriptor(3, ActiveEnergyImport, 2)])),
        ("GetResponseNormal_DateTime", "C4 01 C1 00 19 " + SampleTimeHex,
            new GetResponseNormal(C1, new DlmsDateTime(SampleTime))),
        ("GetResponseNormal_Error", "C4 01 C1 01 04", new GetResponseNormal(C1, DataAccessResult.ObjectUndefined)),
        ("GetResponseWithDataBlock_Error", "C4 02 C1 01 00 00 00 02 01 13",
            new GetResponseWithDataBlock(C1, true, 2, DataAccessResult.DataBlockNumberInvalid)),
        ("GetResponseWithDataBlock_LongForm", "C4 02 C1 01 00 00 00 03 00 81 C8" + Convert.ToHexString(Ramp200),
            new GetResponseWithDataBlock(C1, true, 3, Ramp200)),
        ("GetResponseWithList_Empty", "C4 03 C1 00", new GetResponseWithList(C1, [])),
        ("GetResponseWithList_Three", "C4 03 C1 03 00 11 05 01 03 00 02 02 12 00 01 0A 03 61 62 63",
            new GetResponseWithList(C1, [
                new DlmsUnsigned(5),
                DataAccessResult.ReadWriteDenied,
                DlmsValue.Structure(new DlmsLongUnsigned(1), DlmsValue.VisibleString("abc")),
            ])),

        // SET
        ("SetRequestNormal", "C1 01 C1 00 01 00 00 60 01 01 FF 02 00 0A 03 53 4E 31",
            new SetRequestNormal(C1, new CosemAttributeDescriptor(1, DeviceId, 2), DlmsValue.VisibleString("SN1"))),
        ("SetRequestNormal_Selective", "C1 01 C1 00 07 01 00 63 01 00 FF 02 01 01 12 00 05 06 00 00 00 00",
            new SetRequestNormal(C1, new CosemAttributeDescriptor(7, ProfileGeneric, 2), new DlmsDoubleLongUnsigned(0),
                new SelectiveAccessDescriptor(1, new DlmsLongUnsigned(5)))),
        ("SetRequestWithFirstDatablock", "C1 02 C1 00 01 00 00 60 01 01 FF 02 00 00 00 00 00 01 03 0A 01 41",
            new SetRequestWithFirstDatablock(C1, new CosemAttributeDescriptor(1, DeviceId, 2), new DataBlock(false, 1, new byte[] { 0x0A, 0x01, 0x41 }))),
        ("SetRequestWithFirstDatablock_Selective", "C1 02 C1 00 07 01 00 63 01 00 FF 02 01 01 00 01 00 00 00 01 01 00",
            new SetRequestWithFirstDatablock(C1, new CosemAttributeDescriptor(7, ProfileGeneric, 2), new DataBlock(true, 1, new byte[] { 0 }),
                new SelectiveAccessDescriptor(1, DlmsValue.Null))),
        ("SetRequestWithDatablock", "C1 03 C1 01 00 00 00 02 02 42 43",
            new SetRequestWithDatablock(C1, new DataBlock(true, 2, new byte[] { 0x42, 0x43 }))),
        ("SetRequestWithList_Empty", "C1 04 C1 00 00", new SetRequestWithList(C1, [], [])),
        ("SetRequestWithList_Two",
            "C1 04 C1 02 00 01 00 00 60 01 01 FF 02 00 00 03 01 00 01 08 00 FF 03 01 01 00 02 0A 01 41 06 00 00 00 2A",
            new SetRequestWithList(C1,
                [new CosemAttributeDescriptor(1, DeviceId, 2),
                 new CosemAttributeDescriptorWithSelection(new CosemAttributeDescriptor(3, ActiveEnergyImport, 3), new SelectiveAccessDescriptor(1, DlmsValue.Null))],
                [DlmsValue.VisibleString("A"), new DlmsDoubleLongUnsigned(42)])),
        ("SetRequestWithListAndFirstDatablock", "C1 05 C1 01 00 01 00 00 60 01 01 FF 02 00 00 00 00 00 01 02 0A 01",
            new SetRequestWithListAndFirstDatablock(C1, [new CosemAttributeDescriptor(1, DeviceId, 2)], new DataBlock(false, 1, new byte[] { 0x0A, 0x01 }))),
        ("SetResponseNormal_Success", "C5 01 C1 00", new SetResponseNormal(C1, DataAccessResult.Success)),
        ("SetResponseNormal_Denied", "C5 01 C1 03", new SetResponseNormal(C1, DataAccessResult.ReadWriteDenied)),
        ("SetResponseDatablock", "C5 02 C1 00 00 00 01", new SetResponseDatablock(C1, 1)),
        ("SetResponseLastDatablock", "C5 03 C1 00 00 00 00 02", new SetResponseLastDatablock(C1, DataAccessResult.Success, 2)),
        ("SetResponseLastDatablockWithList", "C5 04 C1 02 00 0C 00 00 00 03",
            new SetResponseLastDatablockWithList(C1, [DataAccessResult.Success, DataAccessResult.TypeUnmatched], 3)),
        ("SetResponseWithList_Empty", "C5 05 C1 00", new SetResponseWithList(C1, [])),
        ("SetResponseWithList_Three", "C5 05 C1 03 00 01 FA",
            new SetResponseWithList(C1, [DataAccessResult.Success, DataAccessResult.HardwareFault, DataAccessResult.OtherReason])),

        // ACTION
        ("ActionRequestNormal_NoParameters", "C3 01 C1 00 46 00 00 60 03 0A FF 01 00",
            new ActionRequestNormal(C1, new CosemMethodDescriptor(70, DisconnectControl, 1))),
        ("ActionRequestNormal_IntegerParameter", "C3 01 C1 00 46 00 00 60 03 0A FF 01 01 0F 00",
            new ActionRequestNormal(C1, new CosemMethodDescriptor(70, DisconnectControl, 1), new DlmsInteger(0))),
        ("ActionRequestNextPblock", "C3 02 C1 00 00 00 01", new ActionRequestNextPblock(C1, 1)),
        ("ActionRequestWithList_Empty", "C3 03 C1 00 00", new ActionRequestWithList(C1, [], [])),
        ("ActionRequestWithList_Two", "C3 03 C1 02 00 46 00 00 60 03 0A FF 01 00 46 00 00 60 03 0A FF 02 02 0F 00 0F 00",
            new ActionRequestWithList(C1,
                [new CosemMethodDescriptor(70, DisconnectControl, 1), new CosemMethodDescriptor(70, DisconnectControl, 2)],
                [new DlmsInteger(0), new DlmsInteger(0)])),
        ("ActionRequestWithFirstPblock", "C3 04 C1 00 40 00 00 2B 00 00 FF 02 00 00 00 00 01 04 01 01 02 02",
            new ActionRequestWithFirstPblock(C1, new CosemMethodDescriptor(64, SecuritySetup, 2), new DataBlock(false, 1, new byte[] { 1, 1, 2, 2 }))),
        ("ActionRequestWithListAndFirstPblock", "C3 05 C1 01 00 40 00 00 2B 00 00 FF 02 01 00 00 00 01 02 0F 00",
            new ActionRequestWithListAndFirstPblock(C1, [new CosemMethodDescriptor(64, SecuritySetup, 2)], new DataBlock(true, 1, new byte[] { 0x0F, 0x00 }))),
        ("ActionRequestWithPblock_LastEmpty", "C3 06 C1 01 00 00 00 02 00",
            new ActionRequestWithPblock(C1, new DataBlock(true, 2, ReadOnlyMemory<byte>.Empty))),
        ("ActionResponseNormal_WithAccessResult", "C7 01 C1 03 01 01 03",
            new ActionResponseNormal(C1, ActionResult.ReadWriteDenied, DataAccessResult.ReadWriteDenied)),
        ("ActionResponseWithPblock", "C7 02 C1 00 00 00 00 01 03 09 01 41",
            new ActionResponseWithPblock(C1, new DataBlock(false, 1, new byte[] { 0x09, 0x01, 0x41 }))),
        ("ActionResponseWithList_Empty", "C7 03 C1 00", new ActionResponseWithList(C1, [])),
        ("ActionResponseWithList_Two", "C7 03 C1 02 00 00 0B 01 00 11 07",
            new ActionResponseWithList(C1, [
                new ActionResponseWithOptionalData(ActionResult.Success),
                new ActionResponseWithOptionalData(ActionResult.ObjectUnavailable, new DlmsUnsigned(7)),
            ])),
        ("ActionResponseNextPblock", "C7 04 C1 00 00 00 01", new ActionResponseNextPblock(C1, 1)),

        // Notifications
        ("DataNotification_WithDateTime", "0F 00 00 00 01 0C " + SampleTimeHex + " 02 02 12 00 01 06 00 00 00 2A",
            new DataNotification(new LongInvokeIdAndPriority(1), SampleTime,
                DlmsValue.Structure(new DlmsLongUnsigned(1), new DlmsDoubleLongUnsigned(42)))),
        ("DataNotification_NoDateTime", "0F C0 00 00 05 00 11 2A",
            new DataNotification(new LongInvokeIdAndPriority(5, false, false, true, true), null, new DlmsUnsigned(42))),
        ("EventNotification_WithTime", "C2 01 0C " + SampleTimeHex + " 00 01 00 00 60 01 01 FF 02 11 05",
            new EventNotificationRequest(SampleTime, new CosemAttributeDescriptor(1, DeviceId, 2), new DlmsUnsigned(5))),
        ("EventNotification_NoTime", "C2 00 00 07 00 00 63 62 00 FF 02 01 00",
            new EventNotificationRequest(null, new CosemAttributeDescriptor(7, EventLog, 2), DlmsValue.Array())),
    ];

    public static readonly IReadOnlyDictionary<string, (string Hex, XdlmsApdu Apdu)> ByName =
        All.ToDictionary(v => v.Name, v => (v.Hex, v.Apdu));

    public static IEnumerable<object[]> Names => All.Select(v => new object[] { v.Name });

    /// <summary>Every valid encoding: the hand-written vectors plus programmatic ones covering more shapes.</summary>
    public static IReadOnlyList<byte[]> AllEncodings()
        => [.. All.Select(v => Hex(v.Hex)), .. Programmatic().Select(a => a.ToArray())];

    /// <summary>APDUs built in code for round trips: nested data, selections present/absent, lists of 0/1/n.</summary>
    public static IEnumerable<XdlmsApdu> Programmatic()
    {
        yield return ConfirmedServiceError.ForInitiate(InitiateError.DlmsVersionTooLow);
        yield return new ExceptionResponse
        {
            StateError = ExceptionStateError.ServiceNotAllowed,
            ServiceError = ExceptionServiceError.InvocationCounterError,
            ExpectedInvocationCounter = 0x01234568,
        };
        DlmsValue nested = DlmsValue.Structure(
            DlmsValue.Array(
                DlmsValue.Structure(new DlmsLongUnsigned(8), DlmsValue.OctetString(Clock.ToBytes()), new DlmsInteger(2), new DlmsLongUnsigned(0)),
                DlmsValue.Structure(new DlmsLongUnsigned(3), DlmsValue.OctetString(ActiveEnergyImport.ToBytes()), new DlmsInteger(-1), new DlmsLongUnsigned(0))),
            new DlmsDateTime(SampleTime),
            new DlmsBoolean(true),
            new DlmsBitString([0xA5, 0x80], 9),
            new DlmsLong64(-5),
            new DlmsFloat64(1.5),
            new DlmsUtf8String("grüß"),
            new DlmsCompactArray(
                new TypeDescription(DataType.Structure, [TypeDescription.Simple(DataType.LongUnsigned), TypeDescription.Simple(DataType.Boolean)]),
                [DlmsValue.Structure(new DlmsLongUnsigned(1), new DlmsBoolean(false)), DlmsValue.Structure(new DlmsLongUnsigned(2), new DlmsBoolean(true))]));
        var selection = new SelectiveAccessDescriptor(1, nested);
        var clock2 = new CosemAttributeDescriptor(8, Clock, 2);
        var reg = new CosemAttributeDescriptor(3, ActiveEnergyImport, -3);
        var invoke = new InvokeIdAndPriority(15, true, false);
        var method = new CosemMethodDescriptor(64, SecuritySetup, -128);
        byte[] big = [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))];

        yield return new GetRequestNormal(invoke, clock2, selection);
        yield return new GetRequestNext(invoke, uint.MaxValue);
        yield return new GetRequestWithList(invoke, [new CosemAttributeDescriptorWithSelection(reg, selection)]);
        yield return new GetRequestWithList(invoke, [clock2, new CosemAttributeDescriptorWithSelection(reg, selection), clock2]);
        yield return new GetResponseNormal(invoke, nested);
        yield return new GetResponseWithDataBlock(invoke, true, 7, big);
        yield return new GetResponseWithDataBlock(invoke, false, 1, ReadOnlyMemory<byte>.Empty);
        yield return new GetResponseWithList(invoke, [nested]);
        yield return new GetResponseWithList(invoke, [nested, DataAccessResult.OtherReason, DlmsValue.Null]);
        yield return new SetRequestNormal(invoke, reg, nested, selection);
        yield return new SetRequestWithFirstDatablock(invoke, reg, new DataBlock(false, 1, big), selection);
        yield return new SetRequestWithDatablock(invoke, new DataBlock(false, 2, big));
        yield return new SetRequestWithList(invoke, [reg], [nested]);
        yield return new SetRequestWithList(invoke, [reg, new CosemAttributeDescriptorWithSelection(clock2, selection)], [nested, DlmsValue.Null]);
        yield return new SetRequestWithListAndFirstDatablock(invoke, [], new DataBlock(true, 1, big));
        yield return new SetRequestWithListAndFirstDatablock(invoke, [reg, clock2], new DataBlock(false, 1, big));
        yield return new SetResponseLastDatablockWithList(invoke, [], 1);
        yield return new SetResponseWithList(invoke, [DataAccessResult.DataBlockNumberInvalid]);
        yield return new ActionRequestNormal(invoke, method, nested);
        yield return new ActionRequestWithList(invoke, [method], [nested]);
        yield return new ActionRequestWithFirstPblock(invoke, method, new DataBlock(false, 1, big));
        yield return new ActionRequestWithListAndFirstPblock(invoke, [], new DataBlock(true, 1, ReadOnlyMemory<byte>.Empty));
        yield return new ActionRequestWithPblock(invoke, new DataBlock(false, 2, big));
        yield return new ActionResponseNormal(invoke, ActionResult.Success, nested);
        yield return new ActionResponseWithPblock(invoke, new DataBlock(true, 9, big));
        yield return new ActionResponseWithList(invoke, [new ActionResponseWithOptionalData(ActionResult.Success, nested)]);
        yield return new ActionResponseWithList(invoke, [
            new ActionResponseWithOptionalData(ActionResult.Success, nested),
            new ActionResponseWithOptionalData(ActionResult.OtherReason, DataAccessResult.TemporaryFailure),
            new ActionResponseWithOptionalData(ActionResult.LongActionAborted),
        ]);
        yield return new DataNotification(new LongInvokeIdAndPriority(0x00FF_FFFF, true, true, false, false), SampleTime, nested);
        yield return new EventNotificationRequest(SampleTime, reg, nested);
    }

    public static byte[] ToBytes(this ObisCode code)
    {
        byte[] bytes = new byte[ObisCode.Size];
        code.WriteTo(bytes);
        return bytes;
    }
}
