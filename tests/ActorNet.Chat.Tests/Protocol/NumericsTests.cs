using System.Reflection;
using ActorNet.Chat.Protocol;
using Xunit;

namespace ActorNet.Chat.Tests.Protocol;

public sealed class NumericsTests
{
    private static readonly FieldInfo[] Fields = typeof(Numerics)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .ToArray();

    [Fact]
    public void Every_numeric_is_three_digits_unique_and_named_by_kind()
    {
        var codes = Fields.Select(f => (string)f.GetRawConstantValue()!).ToArray();
        Assert.All(codes, c => Assert.Matches("^[0-9]{3}$", c));
        Assert.Equal(codes.Length, codes.Distinct().Count());
        Assert.All(Fields, f => Assert.Matches("^(RPL|ERR)_[A-Z]+$", f.Name));
        Assert.All(Fields, f => Assert.True(IrcMessage.IsValidCommand((string)f.GetRawConstantValue()!)));
    }

    [Fact]
    public void Every_required_numeric_has_a_name()
    {
        int[] required =
        [
            1, 2, 3, 4, 5, 221, 251, 252, 253, 254, 255, 265, 266, 301, 302, 303, 305, 306, 311, 312, 313, 314, 315, 317,
            318, 319, 321, 322, 323, 324, 329, 331, 332, 333, 341, 351, 352, 353, 366, 367, 368, 369, 371, 372, 374, 375,
            376, 381, 391, 364, 365, 704, 705, 706, 401, 402, 403, 404, 405, 406, 409, 410, 411, 412, 417, 421, 422, 431,
            432, 433, 436, 441, 442, 443, 451, 461, 462, 464, 465, 471, 472, 473, 474, 475, 476, 481, 482, 491, 501, 502,
            525, 696,
        ];
        var missing = required.Select(n => n.ToString("000")).Where(c => Numerics.NameOf(c) is null).ToArray();
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("001", nameof(Numerics.RPL_WELCOME))]
    [InlineData("005", nameof(Numerics.RPL_ISUPPORT))]
    [InlineData("353", nameof(Numerics.RPL_NAMREPLY))]
    [InlineData("417", nameof(Numerics.ERR_INPUTTOOLONG))]
    [InlineData("433", nameof(Numerics.ERR_NICKNAMEINUSE))]
    [InlineData("462", nameof(Numerics.ERR_ALREADYREGISTERED))]
    [InlineData("705", nameof(Numerics.RPL_HELPTXT))]
    [InlineData("696", nameof(Numerics.ERR_INVALIDMODEPARAM))]
    public void Names_map_to_codes(string code, string name)
    {
        Assert.Equal(name, Numerics.NameOf(code));
        Assert.Equal(code, Fields.Single(f => f.Name == name).GetRawConstantValue());
    }

    [Fact]
    public void Unknown_code_has_no_name() => Assert.Null(Numerics.NameOf("999"));
}
