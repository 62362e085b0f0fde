using System.Globalization;
using System.Numerics;

namespace Rlsc.Core.Evaluation.Expressions;

/// <summary>
/// An exact fraction of big integers, always reduced, denominator positive. The grader uses it so that integers
/// compare exactly (70000 is not 70001, whatever the relative tolerance) and huge values like 2^{1009} or 100!
/// compare without overflowing a double.
/// </summary>
public readonly record struct Rational
{
    public BigInteger Numerator { get; }
    public BigInteger Denominator { get; }

    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException();
        if (denominator.Sign < 0) { numerator = -numerator; denominator = -denominator; }
        var g = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!g.IsOne && !g.IsZero) { numerator /= g; denominator /= g; }
        Numerator = numerator;
        Denominator = numerator.IsZero ? BigInteger.One : denominator;
    }

    public static Rational FromInteger(BigInteger value) => new(value, BigInteger.One);

    public bool IsInteger => Denominator.IsOne;
    public bool IsZero => Numerator.IsZero;
    public int Sign => Numerator.Sign;

    /// <summary>Bits of numerator plus denominator: the size that the grader caps to stay fast.</summary>
    public long Bits => (long)Numerator.GetBitLength() + (long)Denominator.GetBitLength();

    public static Rational operator +(Rational a, Rational b) =>
        new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);
    public static Rational operator -(Rational a, Rational b) =>
        new(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);
    public static Rational operator *(Rational a, Rational b) =>
        new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);
    public static Rational operator /(Rational a, Rational b) =>
        new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);
    public static Rational operator -(Rational a) => new(-a.Numerator, a.Denominator);

    /// <summary>a^n for an integer n; the caller bounds the result's size first.</summary>
    public static Rational Pow(Rational a, int n)
    {
        if (n >= 0) return new(BigInteger.Pow(a.Numerator, n), BigInteger.Pow(a.Denominator, n));
        return new(BigInteger.Pow(a.Denominator, -n), BigInteger.Pow(a.Numerator, -n));
    }

    public BigInteger Floor()
    {
        var q = BigInteger.DivRem(Numerator, Denominator, out var r);
        return r.Sign < 0 ? q - 1 : q;
    }

    public BigInteger Ceiling()
    {
        var q = BigInteger.DivRem(Numerator, Denominator, out var r);
        return r.Sign > 0 ? q + 1 : q;
    }

    /// <summary>The nearest double; ±Infinity when out of range (comparisons then stay exact).</summary>
    public double ToDouble()
    {
        long nb = (long)BigInteger.Abs(Numerator).GetBitLength(), db = (long)Denominator.GetBitLength();
        if (nb < 1000 && db < 1000) return (double)Numerator / (double)Denominator;
        // Scale both to ~64 significant bits so that the division neither overflows nor underflows early.
        long shiftN = Math.Max(0, nb - 64), shiftD = Math.Max(0, db - 64);
        double n = (double)(Numerator >> (int)shiftN), d = (double)(Denominator >> (int)shiftD);
        long exponent = shiftN - shiftD;
        if (exponent > 4000) return n >= 0 ? double.PositiveInfinity : double.NegativeInfinity;
        if (exponent < -4000) return 0.0;
        return n / d * Math.Pow(2, exponent);
    }

    /// <summary>Parses a decimal literal such as "12", "-0.5", ".0000672", "4.5e33", "1e-5" exactly.</summary>
    public static bool TryParseDecimal(string text, int maxExponent, out Rational value)
    {
        value = default;
        string s = text.Trim();
        int exponent = 0;
        int e = s.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            if (!int.TryParse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)) return false;
            if (Math.Abs(exponent) > maxExponent) return false;
            s = s[..e];
        }
        bool negative = s.StartsWith('-');
        if (negative || s.StartsWith('+')) s = s[1..];
        int dot = s.IndexOf('.');
        string whole = dot < 0 ? s : s[..dot];
        string fraction = dot < 0 ? "" : s[(dot + 1)..];
        if (whole.Length + fraction.Length == 0) return false;
        foreach (char c in whole) if (c is < '0' or > '9') return false;
        foreach (char c in fraction) if (c is < '0' or > '9') return false;
        var digits = BigInteger.Parse("0" + whole + fraction, CultureInfo.InvariantCulture);
        exponent -= fraction.Length;
        var result = exponent >= 0
            ? new Rational(digits * BigInteger.Pow(10, exponent), BigInteger.One)
            : new Rational(digits, BigInteger.Pow(10, -exponent));
        value = negative ? -result : result;
        return true;
    }

    public override string ToString() => IsInteger ? Numerator.ToString(CultureInfo.InvariantCulture)
        : $"{Numerator.ToString(CultureInfo.InvariantCulture)}/{Denominator.ToString(CultureInfo.InvariantCulture)}";
}
