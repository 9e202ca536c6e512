//! Why a pod did not take a connection, in the pod's own timeline, for the causes of refused
//! requests (through kube-proxy or the ingress controller).
use super::*;

/// What the pod's app was doing instead of accepting, as a clause: "SIGTERM at 12.0s, app
/// exited at 12.0s", and the group it falls in.
pub(super) fn not_accepting(pod: &Pod) -> (Why, String) {
    let why = match (pod.app, pod.deletion) {
        (_, Some(_)) | (App::Draining { .. }, _) => Why::AfterSigterm,
        (App::Starting { .. }, _) => Why::NotListening,
        _ => Why::Crashed,
    };
    (why, clause(pod))
}

fn clause(pod: &Pod) -> String {
    match (pod.app, pod.container, pod.deletion) {
        (
            App::Exited {
                at,
                why: Exit::Sigterm,
            },
            _,
            Some(d),
        ) => format!(
            "SIGTERM at {}, app exited at {}",
            fmt_secs(d.sigterm_at),
            fmt_secs(at)
        ),
        (App::Draining { since }, _, _) => format!(
            "SIGTERM at {}: the app closed its listener to drain",
            fmt_secs(since)
        ),
        (App::Exited { at, why }, ContainerState::BackOff { until }, _) => format!(
            "the app {} at {} and the container waits in CrashLoopBackOff until {}",
            why.describe(),
            fmt_secs(at),
            fmt_secs(until)
        ),
        (App::Exited { at, why }, _, _) => {
            format!("the app {} at {}", why.describe(), fmt_secs(at))
        }
        (App::Starting { listens_at }, ContainerState::Running { since }, _) => {
            let ready = match (pod.ready_since, &pod.readiness) {
                (Some(r), None) => format!(
                    "; with no readiness probe the pod counted as ready at {}",
                    fmt_secs(r)
                ),
                _ => String::new(),
            };
            format!(
                "its container started at {} but the app only listens from {}{ready}",
                fmt_secs(since),
                fmt_secs(listens_at)
            )
        }
        _ => "its container was not running".into(),
    }
}
