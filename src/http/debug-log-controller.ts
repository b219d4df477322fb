import { LogController, type FastifyReply, type FastifyRequest } from "fastify";

/** Request logs at debug level: Prometheus scrapes every few seconds must not flood the log. */
export class DebugLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, "incoming request");
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) request.log.error({ err: error, res: reply, responseTime: reply.elapsedTime }, "request errored");
    else request.log.debug({ res: reply, responseTime: reply.elapsedTime }, "request completed");
  }
}
