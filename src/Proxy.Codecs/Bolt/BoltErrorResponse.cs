using System.Buffers;
using MeshEdge.Codecs.Rpc;

namespace MeshEdge.Codecs.Bolt;

/// <summary>
/// Responses the proxy writes in a server's place. sofa-bolt-node (lib/protocol/rpc_res_cmd.js) turns
/// any status other than SUCCESS into an error for the pending call, and with an empty content it
/// does so without touching the serializer ("Server exception when invoke with callback..."), so the
/// status carries the meaning and the content stays empty: nothing to get wrong per serialization.
/// (Content it cannot decode as an exception object, even a hessian2 null, makes its decoder throw,
/// which tears down the client's connection: empty is the only safe generic body.)
/// The class is SofaResponse, as a SOFA server names it; protobuf-codec responses also get the
/// <c>sofa_head_response_error: true</c> header that a SOFA server adds to failed calls.
/// </summary>
internal static class BoltErrorResponse
{
    /// <summary>
    /// Writes a response with <paramref name="status"/> to <paramref name="request"/>, in its version,
    /// switch code and serialization. A heartbeat gets a heartbeat ack with that status. Oneway
    /// requests and responses get nothing (returns 0).
    /// </summary>
    public static int Write(in RpcFrameInfo request, BoltResponseStatus status, IBufferWriter<byte> output)
    {
        var state = BoltCodecState.From(request);
        var id = (uint)request.RequestId;
        switch (request.Kind)
        {
            case RpcFrameKind.Request:
                var headerMap = request.Serialization == BoltConstants.ProtobufCodec && status != BoltResponseStatus.Success
                    ? BoltConstants.ProtobufErrorHeaderMap
                    : default;
                return BoltFrameWriter.WriteResponse(
                    output, state, BoltCommandCode.Response, id, request.Serialization, status,
                    BoltConstants.ResponseClass, headerMap, default);
            case RpcFrameKind.HeartbeatRequest:
                return BoltFrameWriter.WriteResponse(
                    output, state, BoltCommandCode.Heartbeat, id, request.Serialization, status, default, default, default);
            default:
                return 0;
        }
    }
}
