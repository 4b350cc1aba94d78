namespace MeshEdge.Config.AccessLog;

/// <summary>Which session writes a log, and so which operators its format may use.</summary>
internal enum AccessLogDialect : byte
{
    /// <summary>HTTP listeners: %REQ(:METHOD)%, %RESPONSE_CODE%, ...</summary>
    Http,

    /// <summary>RPC listeners (rpc_proxy): %RPC_SERVICE%, %RPC_METHOD%, %RPC_STATUS%, %REQ(header)% reads an RPC header.</summary>
    Rpc,
}
