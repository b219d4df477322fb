import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { METRIC, prometheusDs, sel } from "./selectors.js";

/** One marker per interval with drops, titled with the error name, on every time panel. */
export const dropAnnotation = () =>
  new dashboard.AnnotationQueryBuilder()
    .name("Drops")
    .datasource(prometheusDs)
    .enable(true)
    .iconColor("red")
    .expr(`sum by (connection, error_name) (increase(${sel(METRIC.drops)}[$__interval])) > 0`)
    .step("$__interval")
    .titleFormat("Drop: {{error_name}}")
    .textFormat("connection {{connection}}")
    .tagKeys("connection,error_name")
    .useValueForTime(false);

/** A second marker for server DISCONNECTs, whose reason (e.g. session_taken_over) says who ended it. */
export const serverDisconnectAnnotation = () =>
  new dashboard.AnnotationQueryBuilder()
    .name("Server DISCONNECT")
    .datasource(prometheusDs)
    .enable(true)
    .iconColor("orange")
    .expr(`sum by (connection, reason) (increase(${sel(METRIC.serverDisconnects)}[$__interval])) > 0`)
    .step("$__interval")
    .titleFormat("DISCONNECT: {{reason}}")
    .textFormat("connection {{connection}}")
    .tagKeys("connection,reason")
    .useValueForTime(false);
