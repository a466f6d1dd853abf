using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Dlms.Tests.Xdlms;

/// <summary>Named defects per APDU family, each with the offset where the decoder must report it.</summary>
[TestClass]
public sealed class XdlmsMalformedTests
{
    [TestMethod]
    // Any tag
    [DataRow("Empty", "", 0, "truncated")]
    [DataRow("UnknownTag", "C6 01 C1", 0, "unknown xDLMS APDU tag 0xC6")]
    [DataRow("CipheredTagNotHandledHere", "C8 01 C1", 0, "unknown xDLMS APDU tag 0xC8")]
    // GET request
    [DataRow("GetRequest_UnknownChoice", "C0 04 C1 00 08", 1, "unknown get-request choice 4")]
    [DataRow("GetRequest_ChoiceZero", "C0 00 C1", 1, "unknown get-request choice 0")]
    [DataRow("GetRequest_MissingInvoke", "C0 01", 2, "invoke-id-and-priority")]
    [DataRow("GetRequest_TruncatedClassId", "C0 01 C1 00", 3, "class-id")]
    [DataRow("GetRequest_TruncatedDescriptor", "C0 01 C1 00 08 00 00 01", 5, "instance-id")]
    [DataRow("GetRequest_MissingAttributeId", "C0 01 C1 00 08 00 00 01 00 00 FF", 11, "attribute-id")]
    [DataRow("GetRequest_MissingSelectionFlag", "C0 01 C1 00 08 00 00 01 00 00 FF 02", 12, "presence flag")]
    [DataRow("GetRequest_SelectionMissingSelector", "C0 01 C1 00 08 00 00 01 00 00 FF 02 01", 13, "access-selector")]
    [DataRow("GetRequest_SelectionMissingData", "C0 01 C1 00 08 00 00 01 00 00 FF 02 01 02", 14, "data type tag")]
    [DataRow("GetRequest_SelectionBadDataTag", "C0 01 C1 00 08 00 00 01 00 00 FF 02 01 02 07", 14, "unknown data type tag 0x07")]
    [DataRow("GetRequest_TrailingBytes", "C0 01 C1 00 08 00 00 01 00 00 FF 02 00 FF", 13, "trailing")]
    [DataRow("GetRequestNext_TruncatedBlockNumber", "C0 02 C1 00 00 01", 3, "block-number")]
    [DataRow("GetRequestNext_TrailingBytes", "C0 02 C1 00 00 00 01 00", 7, "trailing")]
    [DataRow("GetRequestWithList_CountOverflow", "C0 03 C1 02 00 08 00 00 01 00 00 FF 02 00", 3, "count 2")]
    [DataRow("GetRequestWithList_Count81FF", "C0 03 C1 81 FF 00", 3, "count 255")]
    [DataRow("GetRequestWithList_Count84FFFFFFFF", "C0 03 C1 84 FF FF FF FF", 3, "exceeds the limit")]
    [DataRow("GetRequestWithList_BadLengthOfLength", "C0 03 C1 85 00 00 00 00 01", 3, "bad length-of-length")]
    [DataRow("GetRequestWithList_MissingCount", "C0 03 C1", 3, "truncated")]
    // GET response
    [DataRow("GetResponse_UnknownChoice", "C4 04 C1 00 00", 1, "unknown get-response choice 4")]
    [DataRow("GetResponse_UnknownResultChoice", "C4 01 C1 02 00", 3, "Get-Data-Result choice 2")]
    [DataRow("GetResponse_UnknownDataAccessResult", "C4 01 C1 01 05", 4, "data-access-result 5")]
    [DataRow("GetResponse_MissingResult", "C4 01 C1", 3, "Get-Data-Result")]
    [DataRow("GetResponse_TruncatedData", "C4 01 C1 00 06 00 00", 5, "double-long-unsigned")]
    [DataRow("GetResponse_DataLengthOverflow", "C4 01 C1 00 09 7F 01 02", 5, "declares 127")]
    [DataRow("GetResponse_TrailingBytes", "C4 01 C1 00 11 05 00", 6, "trailing")]
    [DataRow("GetResponseWithDataBlock_TruncatedBlockNumber", "C4 02 C1 01 00 00", 4, "block-number")]
    [DataRow("GetResponseWithDataBlock_BadResultChoice", "C4 02 C1 01 00 00 00 01 02 00", 8, "DataBlock-G result choice 2")]
    [DataRow("GetResponseWithDataBlock_RawLengthOverflow", "C4 02 C1 01 00 00 00 01 00 05 01 02", 9, "declares 5")]
    [DataRow("GetResponseWithDataBlock_RawLength7F", "C4 02 C1 01 00 00 00 01 00 7F 01", 9, "declares 127")]
    [DataRow("GetResponseWithDataBlock_RawLength81FF", "C4 02 C1 01 00 00 00 01 00 81 FF 01", 9, "declares 255")]
    [DataRow("GetResponseWithDataBlock_RawLength84FFFFFFFF", "C4 02 C1 01 00 00 00 01 00 84 FF FF FF FF 01", 9, "exceeds the limit")]
    [DataRow("GetResponseWithDataBlock_UnknownAccessResult", "C4 02 C1 01 00 00 00 01 01 14", 9, "data-access-result 20")]
    [DataRow("GetResponseWithList_CountOverflow", "C4 03 C1 03 00 11 05", 3, "count 3")]
    [DataRow("GetResponseWithList_UnknownAccessResultInList", "C4 03 C1 02 00 11 05 01 07", 8, "data-access-result 7")]
    // SET request
    [DataRow("SetRequest_UnknownChoice", "C1 06 C1", 1, "unknown set-request choice 6")]
    [DataRow("SetRequest_MissingValue", "C1 01 C1 00 01 00 00 60 01 01 FF 02 00", 13, "data type tag")]
    [DataRow("SetRequest_TrailingBytes", "C1 01 C1 00 01 00 00 60 01 01 FF 02 00 11 01 11", 15, "trailing")]
    [DataRow("SetRequestWithFirstDatablock_MissingBlock", "C1 02 C1 00 01 00 00 60 01 01 FF 02 00", 13, "last-block")]
    [DataRow("SetRequestWithDatablock_TruncatedBlockNumber", "C1 03 C1 01 00 00 00", 4, "block-number")]
    [DataRow("SetRequestWithDatablock_RawLengthOverflow", "C1 03 C1 01 00 00 00 01 7F 00", 8, "declares 127")]
    [DataRow("SetRequestWithDatablock_MissingRawData", "C1 03 C1 01 00 00 00 01", 8, "raw-data")]
    [DataRow("SetRequestWithList_CountMismatch", "C1 04 C1 01 00 01 00 00 60 01 01 FF 02 00 02 11 01 11 02", 14, "2 values for 1 attributes")]
    [DataRow("SetRequestWithList_ValueCountOverflow", "C1 04 C1 01 00 01 00 00 60 01 01 FF 02 00 01", 14, "value-list count 1")]
    [DataRow("SetRequestWithList_DescriptorCountOverflow", "C1 04 C1 7F 00", 3, "count 127")]
    [DataRow("SetRequestWithListAndFirstDatablock_MissingBlock", "C1 05 C1 00", 4, "last-block")]
    // SET response
    [DataRow("SetResponse_UnknownChoice", "C5 06 C1 00", 1, "unknown set-response choice 6")]
    [DataRow("SetResponseNormal_UnknownResult", "C5 01 C1 05", 3, "data-access-result 5")]
    [DataRow("SetResponseNormal_MissingResult", "C5 01 C1", 3, "data-access-result")]
    [DataRow("SetResponseDatablock_TrailingBytes", "C5 02 C1 00 00 00 01 00", 7, "trailing")]
    [DataRow("SetResponseLastDatablock_TruncatedBlockNumber", "C5 03 C1 00 00 00", 4, "block-number")]
    [DataRow("SetResponseLastDatablockWithList_CountOverflow", "C5 04 C1 02 00 00 00 00 00", 3, "count 2")]
    [DataRow("SetResponseWithList_UnknownResultInList", "C5 05 C1 02 00 63", 5, "data-access-result 99")]
    // ACTION request
    [DataRow("ActionRequest_UnknownChoice", "C3 07 C1", 1, "unknown action-request choice 7")]
    [DataRow("ActionRequest_TruncatedMethodDescriptor", "C3 01 C1 00 40 00 00 2B", 5, "instance-id")]
    [DataRow("ActionRequest_MissingMethodId", "C3 01 C1 00 40 00 00 2B 00 00 FF", 11, "method-id")]
    [DataRow("ActionRequest_MissingParameterFlag", "C3 01 C1 00 40 00 00 2B 00 00 FF 02", 12, "presence flag")]
    [DataRow("ActionRequest_ParametersMissing", "C3 01 C1 00 40 00 00 2B 00 00 FF 02 01", 13, "data type tag")]
    [DataRow("ActionRequest_KeyTransferArrayCountTooHigh",
        "C3 01 C1 00 40 00 00 2B 00 00 FF 02 01 01 02 02 02 16 00 09 18 1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5", 45, "data type tag")]
    [DataRow("ActionRequest_KeyTransferOctetStringTooLong",
        "C3 01 C1 00 40 00 00 2B 00 00 FF 02 01 01 01 02 02 16 00 09 19 1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5", 20, "declares 25")]
    [DataRow("ActionRequestWithList_CountMismatch", "C3 03 C1 01 00 46 00 00 60 03 0A FF 01 00", 13, "0 values for 1 methods")]
    [DataRow("ActionRequestWithList_CountOverflow", "C3 03 C1 05 00 46 00 00 60 03 0A FF 01", 3, "count 5")]
    [DataRow("ActionRequestWithPblock_RawLength84FFFFFFFF", "C3 06 C1 01 00 00 00 01 84 FF FF FF FF", 8, "exceeds the limit")]
    [DataRow("ActionRequestNextPblock_TrailingBytes", "C3 02 C1 00 00 00 01 01", 7, "trailing")]
    // ACTION response
    [DataRow("ActionResponse_UnknownChoice", "C7 05 C1 00 00", 1, "unknown action-response choice 5")]
    [DataRow("ActionResponseNormal_UnknownResult", "C7 01 C1 05 00", 3, "action-result 5")]
    [DataRow("ActionResponseNormal_MissingFlag", "C7 01 C1 00", 4, "presence flag")]
    [DataRow("ActionResponseNormal_ReturnParametersBadChoice", "C7 01 C1 00 01 02", 5, "Get-Data-Result choice 2")]
    [DataRow("ActionResponseNormal_ReturnParametersMissing", "C7 01 C1 00 01", 5, "Get-Data-Result")]
    [DataRow("ActionResponseNormal_TrailingBytes", "C7 01 C1 00 00 00", 5, "trailing")]
    [DataRow("ActionResponseWithList_CountOverflow", "C7 03 C1 02 00 00", 3, "count 2")]
    [DataRow("ActionResponseNextPblock_Truncated", "C7 04 C1 00", 3, "block-number")]
    // Notifications
    [DataRow("DataNotification_TruncatedInvoke", "0F 00 00", 1, "long-invoke-id-and-priority")]
    [DataRow("DataNotification_BadDateTimeLength", "0F 00 00 00 01 05 01 02 03 04 05 11 00", 5, "must be 0 or 12 bytes")]
    [DataRow("DataNotification_DateTimeLengthOverflow", "0F 00 00 00 01 0C 01 02", 5, "declares 12")]
    [DataRow("DataNotification_MissingBody", "0F 00 00 00 01 00", 6, "data type tag")]
    [DataRow("DataNotification_TrailingBytes", "0F 00 00 00 01 00 11 2A 00", 8, "trailing")]
    [DataRow("EventNotification_EmptyTime", "C2 01 00 00 01 00 00 60 01 01 FF 02 11 05", 2, "must be 12 bytes")]
    [DataRow("EventNotification_TruncatedDescriptor", "C2 00 00 01 00", 4, "instance-id")]
    [DataRow("EventNotification_MissingValue", "C2 00 00 01 00 00 60 01 01 FF 02", 11, "data type tag")]
    public void Decode_NamedDefect_ThrowsAtOffset(string defect, string hex, int offset, string reasonFragment)
    {
        byte[] input = XdlmsVectors.Hex(hex);
        var ex = Assert.ThrowsExactly<DlmsProtocolException>(() => XdlmsApduCodec.Decode(input), defect);
        Assert.AreEqual(offset, ex.Offset, $"{defect}: {ex.Message}");
        Assert.Contains(reasonFragment, ex.Reason, $"{defect}: {ex.Message}");
    }

    [TestMethod]
    public void Decode_EveryStrictPrefixOfEveryValidEncoding_Throws()
    {
        int prefixes = 0;
        foreach (byte[] valid in XdlmsVectors.AllEncodings())
        {
            for (int length = 0; length < valid.Length; length++)
            {
                byte[] prefix = valid[..length];
                try
                {
                    XdlmsApduCodec.Decode(prefix);
                    Assert.Fail($"prefix of {length} bytes decoded: {Convert.ToHexString(prefix)}");
                }
                catch (DlmsProtocolException ex)
                {
                    Assert.IsTrue(ex.Offset >= 0 && ex.Offset <= length, $"offset {ex.Offset} outside a {length}-byte input");
                }

                prefixes++;
            }
        }

        Assert.IsGreaterThan(1000, prefixes);
    }

    [TestMethod]
    [DataRow("C4 01 C1 00", 4)]
    [DataRow("C1 01 C1 00 01 00 00 60 01 01 FF 02 00", 13)]
    [DataRow("C0 01 C1 00 07 01 00 63 01 00 FF 02 01 02", 14)]
    [DataRow("C3 01 C1 00 40 00 00 2B 00 00 FF 02 01", 13)]
    [DataRow("0F 00 00 00 01 00", 6)]
    public void Decode_TenThousandNestedArrays_FailsWithNestingErrorNotStackOverflow(string prefixHex, int dataOffset)
    {
        var input = new List<byte>(XdlmsVectors.Hex(prefixHex));
        for (int i = 0; i < 10_000; i++)
        {
            input.Add(0x01);
            input.Add(0x01);
        }

        var ex = Assert.ThrowsExactly<DlmsProtocolException>(() => XdlmsApduCodec.Decode(input.ToArray()));
        Assert.Contains("nesting", ex.Reason);
        Assert.AreEqual(dataOffset + (2 * Smets1Sim.Dlms.Axdr.AxdrLimits.Default.MaxDepth), ex.Offset);
    }
}
