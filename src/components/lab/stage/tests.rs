use super::scene::*;
use super::*;
use rollout_sim::lab::snapshot::{Changes, Runner};
use rollout_sim::time::Ms;
use rollout_sim::traffic::Reason;

fn at(name: &str, ms: Option<Ms>) -> Snapshot {
    let example = rollout_sim::lab::examples::find(name).unwrap();
    Runner::default()
        .snapshot(example, &Changes::default(), ms)
        .unwrap()
}

#[test]
fn recreate_outage_marks_refusals_at_the_service_and_explains_them() {
    // The moment of Recreate's first failure: no pod is left to take the connection.
    let first = at("recreate", None).failures.last().unwrap().ended_at;
    let s = at("recreate", Some(first + 50));
    let scene = Scene::of(&s, 600.0, 1.0, true);
    let m = scene.marks.first().expect("a failure on screen");
    assert_eq!(m.reason, Reason::ConnectionRefused);
    assert!(
        m.y > scene.service_y && m.x < cards_x(600.0),
        "{m:?} is at the Service"
    );
    assert_eq!(scene.hit(m.x + 3.0, m.y - 3.0), Some(Chosen::Request(m.id)));
    let words = describe(&s, m.id);
    assert!(words.contains("connection refused"), "{words}");
    assert!(words.contains(&s.failures[0].cause), "{words}");
}

#[test]
fn replica_sets_are_groups_and_pods_cards_that_say_their_phase_and_routing() {
    // Lesson 5's moment: an old pod deleted, its preStop running, still listed nowhere but
    // routed by proxies that have not heard yet.
    let terminating = |s: &Snapshot| {
        s.replica_sets
            .iter()
            .flat_map(|rs| rs.pods.iter())
            .any(|p| p.status == "Terminating")
    };
    let s = (60_000..120_000)
        .step_by(500)
        .map(|t| at("rolling-zero-downtime", Some(t)))
        .find(terminating)
        .expect("the rollout terminates an old pod");
    let scene = Scene::of(&s, 800.0, 1.0, true);
    assert_eq!(scene.groups.len(), s.replica_sets.len());
    assert!(
        scene.groups[0].label.starts_with("rev 2 · myapp-")
            && scene.groups[0].label.contains("myapp:2"),
        "{:?}",
        scene.groups[0]
    );
    let pods: usize = s.replica_sets.iter().map(|rs| rs.pods.len()).sum();
    assert_eq!(scene.cards.len(), pods);
    let stopping = scene
        .cards
        .iter()
        .find(|c| c.terminating)
        .expect("an old pod is terminating");
    assert!(
        stopping.title.contains("preStop") || stopping.title.contains("SIGTERM"),
        "{stopping:?}"
    );
    assert!(
        !stopping.in_endpoints,
        "a terminating pod is not a ready endpoint"
    );
    // Cards do not overlap and each is chosen by a tap on it.
    for w in scene.cards.windows(2) {
        assert!(w[1].y >= w[0].y + w[0].h, "{w:?}");
    }
    let c = &scene.cards[1];
    assert_eq!(
        scene.hit(c.x + 40.0, c.y + 3.0),
        Some(Chosen::Pod(c.pod.clone()))
    );
    assert!(describe_pod(&s, &c.pod).starts_with(&format!("Pod {}:", c.pod)));
    assert!(s.caption.contains("replica set"), "{}", s.caption);
}

#[test]
fn a_hundred_pods_go_into_a_grid_that_fits_the_stage() {
    let example = rollout_sim::lab::examples::find("sandbox").unwrap();
    let mut changes = Changes::default();
    let scenario = rollout_sim::scenario::Scenario::parse(&example.yaml).unwrap();
    let mut knobs = rollout_sim::lab::knobs::Knobs::read(&scenario).unwrap();
    knobs.set("replicas", "100").unwrap();
    changes.knobs = Some(knobs);
    let s = Runner::default()
        .snapshot(example, &changes, Some(5_000))
        .unwrap();
    let scene = Scene::of(&s, 800.0, 1.0, true);
    assert_eq!(scene.cards.len(), 100);
    assert!(scene
        .cards
        .iter()
        .all(|c| c.detail.is_none() && c.w >= 110.0));
    assert!(scene.height < 800.0, "{}", scene.height);
    assert!(scene.cards.iter().all(|c| c.x + c.w <= 800.0));
}

#[test]
fn every_request_in_flight_is_drawn_at_its_pod_and_reduced_motion_does_not_move_them() {
    let s = at("rolling-zero-downtime", Some(20_000));
    let held: usize = s.in_flight.iter().map(|(_, h)| h.len()).sum();
    assert!(held > 0);
    let still = Scene::of(&s, 600.0, 1.0, false);
    assert_eq!(still.dots.len(), held);
    assert!(still.dots.iter().all(|d| still
        .cards
        .iter()
        .any(|c| d.x >= c.x && d.x <= c.x + c.w && d.y >= c.y && d.y <= c.y + c.h)));
    // A request sent this very moment is at the clients' side while moving, at its pod if not.
    let (pod, newest) = s
        .in_flight
        .iter()
        .flat_map(|(p, h)| h.iter().map(move |r| (p, r)))
        .max_by_key(|(_, r)| r.sent_at)
        .unwrap();
    let moving = Scene::of(&s, 600.0, 1.0, true);
    let dot = |sc: &Scene| {
        sc.dots
            .iter()
            .find(|d| d.id == newest.id)
            .map(|d| d.x)
            .unwrap()
    };
    assert!(s.now_ms - newest.sent_at < TRAVEL_MS / 2, "{newest:?}");
    assert!(dot(&moving) < service_x(600.0));
    assert!(dot(&still) > cards_x(600.0));
    assert!(describe(&s, newest.id).contains(pod.as_str()));
}
