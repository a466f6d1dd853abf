using System.Buffers;

namespace Smets1Sim.Dlms.Tests.Framing;

/// <summary>Builds multi-segment sequences so readers meet headers and bodies split across segments.</summary>
internal sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    private TestSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>A sequence whose segments have the given contents (empty segments allowed).</summary>
    public static ReadOnlySequence<byte> Create(params ReadOnlyMemory<byte>[] parts)
    {
        if (parts.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new TestSegment(parts[0], 0);
        TestSegment last = first;
        for (int i = 1; i < parts.Length; i++)
        {
            var next = new TestSegment(parts[i], last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Cuts <paramref name="data"/> at the given ascending positions.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var parts = new List<ReadOnlyMemory<byte>>();
        int start = 0;
        foreach (int cut in cuts)
        {
            parts.Add(data.AsMemory(start, cut - start));
            start = cut;
        }

        parts.Add(data.AsMemory(start));
        return Create([.. parts]);
    }
}
