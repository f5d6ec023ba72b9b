namespace Aggregator.Core.Storage;

/// <summary>Unsigned LEB128 integers (7 bits a byte, the high bit set on every byte but the last): posting lists and list fields.</summary>
internal static class Varint
{
    /// <summary>The most bytes one value takes.</summary>
    public const int MaxBytes = 10;

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="to"/> (at least <see cref="MaxBytes"/> long, or 5 for a 32-bit value); returns the bytes written.</summary>
    public static int Write(Span<byte> to, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            to[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        to[n++] = (byte)value;
        return n;
    }

    /// <summary>Reads one value at <paramref name="at"/> and moves past it; a truncated one reads past the bytes (<see cref="IndexOutOfRangeException"/>).</summary>
    public static ulong Read(ReadOnlySpan<byte> from, ref int at)
    {
        ulong value = 0;
        var shift = 0;
        byte b;
        do
        {
            b = from[at++];
            value |= (ulong)(b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return value;
    }
}
