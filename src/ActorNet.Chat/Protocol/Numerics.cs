using System.Collections.Frozen;
using System.Reflection;

namespace ActorNet.Chat.Protocol;

/// <summary>
/// IRC numeric replies with their RFC 1459/2812 names (and the modern names where the RFCs had none or misspelt
/// one: RPL_ISUPPORT for 005, ERR_ALREADYREGISTERED for 462, the 7xx help replies, 417, 525, 696).
/// See https://modern.ircdocs.horse/ for the parameter layout of each reply.
/// </summary>
public static class Numerics
{
    /// <summary>Numeric 001.</summary>
    public const string RPL_WELCOME = "001";

    /// <summary>Numeric 002.</summary>
    public const string RPL_YOURHOST = "002";

    /// <summary>Numeric 003.</summary>
    public const string RPL_CREATED = "003";

    /// <summary>Numeric 004.</summary>
    public const string RPL_MYINFO = "004";

    /// <summary>Numeric 005.</summary>
    public const string RPL_ISUPPORT = "005";

    /// <summary>Numeric 221.</summary>
    public const string RPL_UMODEIS = "221";

    /// <summary>Numeric 251.</summary>
    public const string RPL_LUSERCLIENT = "251";

    /// <summary>Numeric 252.</summary>
    public const string RPL_LUSEROP = "252";

    /// <summary>Numeric 253.</summary>
    public const string RPL_LUSERUNKNOWN = "253";

    /// <summary>Numeric 254.</summary>
    public const string RPL_LUSERCHANNELS = "254";

    /// <summary>Numeric 255.</summary>
    public const string RPL_LUSERME = "255";

    /// <summary>Numeric 265.</summary>
    public const string RPL_LOCALUSERS = "265";

    /// <summary>Numeric 266.</summary>
    public const string RPL_GLOBALUSERS = "266";

    /// <summary>Numeric 301.</summary>
    public const string RPL_AWAY = "301";

    /// <summary>Numeric 302.</summary>
    public const string RPL_USERHOST = "302";

    /// <summary>Numeric 303.</summary>
    public const string RPL_ISON = "303";

    /// <summary>Numeric 305.</summary>
    public const string RPL_UNAWAY = "305";

    /// <summary>Numeric 306.</summary>
    public const string RPL_NOWAWAY = "306";

    /// <summary>Numeric 311.</summary>
    public const string RPL_WHOISUSER = "311";

    /// <summary>Numeric 671: the user is connected over TLS.</summary>
    public const string RPL_WHOISSECURE = "671";

    /// <summary>Numeric 276: the client certificate's fingerprint (CertFP).</summary>
    public const string RPL_WHOISCERTFP = "276";

    /// <summary>Numeric 312.</summary>
    public const string RPL_WHOISSERVER = "312";

    /// <summary>Numeric 313.</summary>
    public const string RPL_WHOISOPERATOR = "313";

    /// <summary>Numeric 314.</summary>
    public const string RPL_WHOWASUSER = "314";

    /// <summary>Numeric 315.</summary>
    public const string RPL_ENDOFWHO = "315";

    /// <summary>Numeric 317.</summary>
    public const string RPL_WHOISIDLE = "317";

    /// <summary>Numeric 318.</summary>
    public const string RPL_ENDOFWHOIS = "318";

    /// <summary>Numeric 319.</summary>
    public const string RPL_WHOISCHANNELS = "319";

    /// <summary>Numeric 321.</summary>
    public const string RPL_LISTSTART = "321";

    /// <summary>Numeric 322.</summary>
    public const string RPL_LIST = "322";

    /// <summary>Numeric 323.</summary>
    public const string RPL_LISTEND = "323";

    /// <summary>Numeric 324.</summary>
    public const string RPL_CHANNELMODEIS = "324";

    /// <summary>Numeric 329.</summary>
    public const string RPL_CREATIONTIME = "329";

    /// <summary>Numeric 331.</summary>
    public const string RPL_NOTOPIC = "331";

    /// <summary>Numeric 332.</summary>
    public const string RPL_TOPIC = "332";

    /// <summary>Numeric 333.</summary>
    public const string RPL_TOPICWHOTIME = "333";

    /// <summary>Numeric 341.</summary>
    public const string RPL_INVITING = "341";

    /// <summary>Numeric 351.</summary>
    public const string RPL_VERSION = "351";

    /// <summary>Numeric 352.</summary>
    public const string RPL_WHOREPLY = "352";

    /// <summary>Numeric 353.</summary>
    public const string RPL_NAMREPLY = "353";

    /// <summary>Numeric 364.</summary>
    public const string RPL_LINKS = "364";

    /// <summary>Numeric 365.</summary>
    public const string RPL_ENDOFLINKS = "365";

    /// <summary>Numeric 366.</summary>
    public const string RPL_ENDOFNAMES = "366";

    /// <summary>Numeric 367.</summary>
    public const string RPL_BANLIST = "367";

    /// <summary>Numeric 368.</summary>
    public const string RPL_ENDOFBANLIST = "368";

    /// <summary>Numeric 369.</summary>
    public const string RPL_ENDOFWHOWAS = "369";

    /// <summary>Numeric 371.</summary>
    public const string RPL_INFO = "371";

    /// <summary>Numeric 372.</summary>
    public const string RPL_MOTD = "372";

    /// <summary>Numeric 374.</summary>
    public const string RPL_ENDOFINFO = "374";

    /// <summary>Numeric 375.</summary>
    public const string RPL_MOTDSTART = "375";

    /// <summary>Numeric 376.</summary>
    public const string RPL_ENDOFMOTD = "376";

    /// <summary>Numeric 381.</summary>
    public const string RPL_YOUREOPER = "381";

    /// <summary>Numeric 382: REHASH accepted.</summary>
    public const string RPL_REHASHING = "382";

    /// <summary>Numeric 391.</summary>
    public const string RPL_TIME = "391";

    /// <summary>Numeric 704.</summary>
    public const string RPL_HELPSTART = "704";

    /// <summary>Numeric 705.</summary>
    public const string RPL_HELPTXT = "705";

    /// <summary>Numeric 706.</summary>
    public const string RPL_ENDOFHELP = "706";

    /// <summary>Numeric 401.</summary>
    public const string ERR_NOSUCHNICK = "401";

    /// <summary>Numeric 402.</summary>
    public const string ERR_NOSUCHSERVER = "402";

    /// <summary>Numeric 403.</summary>
    public const string ERR_NOSUCHCHANNEL = "403";

    /// <summary>Numeric 404.</summary>
    public const string ERR_CANNOTSENDTOCHAN = "404";

    /// <summary>Numeric 405.</summary>
    public const string ERR_TOOMANYCHANNELS = "405";

    /// <summary>Numeric 406.</summary>
    public const string ERR_WASNOSUCHNICK = "406";

    /// <summary>Numeric 409.</summary>
    public const string ERR_NOORIGIN = "409";

    /// <summary>Numeric 410.</summary>
    public const string ERR_INVALIDCAPCMD = "410";

    /// <summary>Numeric 411.</summary>
    public const string ERR_NORECIPIENT = "411";

    /// <summary>Numeric 412.</summary>
    public const string ERR_NOTEXTTOSEND = "412";

    /// <summary>Numeric 417.</summary>
    public const string ERR_INPUTTOOLONG = "417";

    /// <summary>Numeric 421.</summary>
    public const string ERR_UNKNOWNCOMMAND = "421";

    /// <summary>Numeric 422.</summary>
    public const string ERR_NOMOTD = "422";

    /// <summary>Numeric 431.</summary>
    public const string ERR_NONICKNAMEGIVEN = "431";

    /// <summary>Numeric 432.</summary>
    public const string ERR_ERRONEUSNICKNAME = "432";

    /// <summary>Numeric 433.</summary>
    public const string ERR_NICKNAMEINUSE = "433";

    /// <summary>Numeric 436.</summary>
    public const string ERR_NICKCOLLISION = "436";

    /// <summary>The nick cannot be decided now (cluster: the nick registry is being handed over); try again.</summary>
    public const string ERR_UNAVAILRESOURCE = "437";

    /// <summary>Numeric 441.</summary>
    public const string ERR_USERNOTINCHANNEL = "441";

    /// <summary>Numeric 442.</summary>
    public const string ERR_NOTONCHANNEL = "442";

    /// <summary>Numeric 443.</summary>
    public const string ERR_USERONCHANNEL = "443";

    /// <summary>Numeric 451.</summary>
    public const string ERR_NOTREGISTERED = "451";

    /// <summary>Numeric 461.</summary>
    public const string ERR_NEEDMOREPARAMS = "461";

    /// <summary>Numeric 462.</summary>
    public const string ERR_ALREADYREGISTERED = "462";

    /// <summary>Numeric 464.</summary>
    public const string ERR_PASSWDMISMATCH = "464";

    /// <summary>Numeric 465.</summary>
    public const string ERR_YOUREBANNEDCREEP = "465";

    /// <summary>Numeric 471.</summary>
    public const string ERR_CHANNELISFULL = "471";

    /// <summary>Numeric 472.</summary>
    public const string ERR_UNKNOWNMODE = "472";

    /// <summary>Numeric 473.</summary>
    public const string ERR_INVITEONLYCHAN = "473";

    /// <summary>Numeric 474.</summary>
    public const string ERR_BANNEDFROMCHAN = "474";

    /// <summary>Numeric 475.</summary>
    public const string ERR_BADCHANNELKEY = "475";

    /// <summary>Numeric 476.</summary>
    public const string ERR_BADCHANMASK = "476";

    /// <summary>Numeric 335: WHOIS of a user with the bot mode.</summary>
    public const string RPL_WHOISBOT = "335";

    /// <summary>Numeric 478: a channel list mode (+b) is full (MAXLIST).</summary>
    public const string ERR_BANLISTFULL = "478";

    /// <summary>Numeric 481.</summary>
    public const string ERR_NOPRIVILEGES = "481";

    /// <summary>Numeric 482.</summary>
    public const string ERR_CHANOPRIVSNEEDED = "482";

    /// <summary>Numeric 491.</summary>
    public const string ERR_NOOPERHOST = "491";

    /// <summary>Numeric 501.</summary>
    public const string ERR_UMODEUNKNOWNFLAG = "501";

    /// <summary>Numeric 502.</summary>
    public const string ERR_USERSDONTMATCH = "502";

    /// <summary>Numeric 524.</summary>
    public const string ERR_HELPNOTFOUND = "524";

    /// <summary>Numeric 525.</summary>
    public const string ERR_INVALIDKEY = "525";

    /// <summary>Numeric 696.</summary>
    public const string ERR_INVALIDMODEPARAM = "696";

    /// <summary>Numeric 346 (RPL_INVITELIST: one +I entry).</summary>
    public const string RPL_INVITELIST = "346";

    /// <summary>Numeric 347.</summary>
    public const string RPL_ENDOFINVITELIST = "347";

    /// <summary>Numeric 348 (RPL_EXCEPTLIST: one +e entry).</summary>
    public const string RPL_EXCEPTLIST = "348";

    /// <summary>Numeric 349.</summary>
    public const string RPL_ENDOFEXCEPTLIST = "349";

    /// <summary>Numeric 336 (RPL_INVITELIST of the INVITE command: a channel the client is invited to).</summary>
    public const string RPL_INVITELISTCMD = "336";

    /// <summary>Numeric 337.</summary>
    public const string RPL_ENDOFINVITELISTCMD = "337";

    /// <summary>Numeric 354 (WHOX reply).</summary>
    public const string RPL_WHOSPCRPL = "354";

    /// <summary>Numeric 730 (IRCv3 monitor).</summary>
    public const string RPL_MONONLINE = "730";

    /// <summary>Numeric 731.</summary>
    public const string RPL_MONOFFLINE = "731";

    /// <summary>Numeric 732.</summary>
    public const string RPL_MONLIST = "732";

    /// <summary>Numeric 733.</summary>
    public const string RPL_ENDOFMONLIST = "733";

    /// <summary>Numeric 734.</summary>
    public const string ERR_MONLISTFULL = "734";

    private static readonly FrozenDictionary<string, string> Names = typeof(Numerics)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .ToFrozenDictionary(f => (string)f.GetRawConstantValue()!, f => f.Name, StringComparer.Ordinal);

    /// <summary>The symbolic name of a numeric (e.g. "433" -> "ERR_NICKNAMEINUSE"), or null if unknown; for logs.</summary>
    public static string? NameOf(string code) => Names.GetValueOrDefault(code);
}
