//! The canonical service value chain: which artifacts flow between which activities, read
//! from a chain file (`assets/chain.ron` by default, compiled in).

use crate::io::ron_text::{self, FileError};
use crate::io::source::{Key, LineIndex, Outline};
use crate::model::activity::Activity;
use crate::names::{self, fold};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The built-in chain, written by hand from seed 001.
pub const BUILTIN_TEXT: &str = include_str!("../../assets/chain.ron");
pub const BUILTIN_NAME: &str = "assets/chain.ron";
/// How much of a message about a chain file is shown: it quotes names from the file.
const MAX_MESSAGE_CHARS: usize = 1000;

// ---- The file shape -------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename = "Chain", deny_unknown_fields)]
pub struct ChainFile {
    pub format: u32,
    pub demand: End,
    pub value: End,
    pub parties: Vec<String>,
    /// Every practice an organisation may tag a step with (the 34 of ITIL 4 in the built-in
    /// chain). A chain file may leave it out; the activities' lists are known practices then.
    #[serde(default)]
    pub practices: Vec<PracticeDef>,
    pub artifacts: Vec<ArtifactDef>,
    pub activities: Vec<ActivityDef>,
}

/// An ITIL practice, with the names people also use for it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename = "Practice", deny_unknown_fields)]
pub struct PracticeDef {
    pub name: String,
    pub group: PracticeGroup,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// ITIL 4's three groups of practices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PracticeGroup {
    General,
    Service,
    Technical,
}

impl PracticeGroup {
    pub fn name(self) -> &'static str {
        match self {
            PracticeGroup::General => "general management",
            PracticeGroup::Service => "service management",
            PracticeGroup::Technical => "technical management",
        }
    }
}

/// Demand or Value: where the stream meets the parties outside the chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct End {
    pub purpose: String,
    pub parties: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename = "Artifact", deny_unknown_fields)]
pub struct ArtifactDef {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The artifacts a line joining several names (DESIGN.md rule 7); each travels the
    /// routes of this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename = "Activity", deny_unknown_fields)]
pub struct ActivityDef {
    #[serde(deserialize_with = "chain_activity")]
    pub activity: Activity,
    /// Where the seed describes it, e.g. "5.3".
    pub section: String,
    pub purpose: String,
    pub practices: Vec<String>,
    pub inputs: Vec<Input>,
    pub outputs: Vec<Output>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub artifact: String,
    #[serde(default)]
    pub from: Vec<Endpoint>,
    /// The seed's line, word for word.
    pub seed: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    pub artifact: String,
    #[serde(default)]
    pub to: Vec<Endpoint>,
    pub seed: String,
}

/// The other side of an input or output line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Endpoint {
    Activity(#[serde(deserialize_with = "chain_activity")] Activity),
    Party(String),
}

/// The six activities a chain file may describe. Reading them through this enum makes an
/// unknown name's error list only these, not the ends Demand and Value, which a chain file
/// may not use (it names the parties they stand for instead).
#[derive(Deserialize)]
enum ChainActivity {
    Plan,
    Improve,
    Engage,
    DesignAndTransition,
    ObtainOrBuild,
    DeliverAndSupport,
}

fn chain_activity<'de, D: serde::Deserializer<'de>>(reader: D) -> Result<Activity, D::Error> {
    Ok(match ChainActivity::deserialize(reader)? {
        ChainActivity::Plan => Activity::Plan,
        ChainActivity::Improve => Activity::Improve,
        ChainActivity::Engage => Activity::Engage,
        ChainActivity::DesignAndTransition => Activity::DesignAndTransition,
        ChainActivity::ObtainOrBuild => Activity::ObtainOrBuild,
        ChainActivity::DeliverAndSupport => Activity::DeliverAndSupport,
    })
}

fn line_seed(def: &ActivityDef, direction: Direction, index: usize) -> String {
    match direction {
        Direction::Input => def.inputs[index].seed.clone(),
        Direction::Output => def.outputs[index].seed.clone(),
    }
}

// ---- The chain as the checker uses it ---------------------------------------------------

pub type ArtifactId = usize;

/// A place artifacts flow between: one of the six activities or a party outside the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    Activity(Activity),
    Party(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Input,
    Output,
}

/// One line of seed 001: an activity's input or output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineRef {
    pub activity: Activity,
    pub direction: Direction,
    pub index: usize,
    /// The line joins several artifacts and states the flow of one of its parts
    /// (DESIGN.md rule 7): the artifact travels "as part of" the line's.
    pub as_part: bool,
}

/// A canonical flow and the seed lines that state it (the output side, the input side, or both).
#[derive(Debug, Clone)]
pub struct ChainFlow {
    pub artifact: ArtifactId,
    pub from: Node,
    pub to: Node,
    pub stated_by: Vec<LineRef>,
}

#[derive(Debug, Clone)]
pub struct Chain {
    pub file: ChainFile,
    flows: Vec<ChainFlow>,
    by_name: HashMap<String, ArtifactId>,
    by_flow: HashMap<(ArtifactId, Node, Node), usize>,
    by_pair: HashMap<(Node, Node), Vec<ArtifactId>>,
    by_artifact: Vec<Vec<usize>>,
    /// For each artifact, the artifacts it is a part of.
    part_of: Vec<Vec<ArtifactId>>,
    /// Practice names and aliases, folded, with the index into `file.practices`, or
    /// `usize::MAX` for a name only the activities' lists give.
    practices: HashMap<String, usize>,
    demand_parties: Vec<Node>,
    value_parties: Vec<Node>,
}

impl Chain {
    /// The chain compiled into the binary.
    pub fn builtin() -> Chain {
        Chain::from_text(BUILTIN_NAME, BUILTIN_TEXT)
            .expect("the built-in chain is checked by tests")
    }

    /// Reads a chain file of the same shape as `assets/chain.ron`.
    pub fn load(path: &Path) -> Result<Chain, FileError> {
        let text = ron_text::read_text(path)?;
        Chain::from_text(&path.display().to_string(), &text)
    }

    pub fn from_text(name: &str, text: &str) -> Result<Chain, FileError> {
        let file: ChainFile = ron_text::parse(name, text)?;
        Chain::build(file).map_err(|(path, message)| {
            let position =
                Outline::parse(text).map(|outline| outline.position(&LineIndex::new(text), &path));
            // The message quotes names from the file ("did you mean ..."): shown escaped.
            FileError::new(
                name,
                position,
                crate::text::shown(&message, MAX_MESSAGE_CHARS),
            )
        })
    }

    fn build(file: ChainFile) -> Result<Chain, (Vec<PathKey>, String)> {
        use Key::{Field, Item};
        if file.format != 1 {
            return Err((
                vec![Field("format")],
                format!(
                    "unsupported chain format {}; this vsmap reads format 1",
                    file.format
                ),
            ));
        }
        let mut by_name: HashMap<String, ArtifactId> = HashMap::new();
        for (id, artifact) in file.artifacts.iter().enumerate() {
            for (k, name) in std::iter::once(&artifact.name)
                .chain(&artifact.aliases)
                .enumerate()
            {
                let path = if k == 0 {
                    vec![Field("artifacts"), Item(id), Field("name")]
                } else {
                    vec![Field("artifacts"), Item(id), Field("aliases"), Item(k - 1)]
                };
                let folded = fold(name);
                if folded.is_empty() {
                    return Err((
                        path,
                        "an artifact name must contain letters or digits".into(),
                    ));
                }
                if let Some(&other) = by_name.get(&folded)
                    && other != id
                {
                    return Err((
                        path,
                        format!(
                            "the name \"{name}\" is already used by the artifact \"{}\"",
                            file.artifacts[other].name
                        ),
                    ));
                }
                by_name.insert(folded, id);
            }
        }
        let mut parts: Vec<Vec<ArtifactId>> = vec![Vec::new(); file.artifacts.len()];
        let mut part_of: Vec<Vec<ArtifactId>> = vec![Vec::new(); file.artifacts.len()];
        for (id, artifact) in file.artifacts.iter().enumerate() {
            for (k, name) in artifact.parts.iter().enumerate() {
                let path = vec![Field("artifacts"), Item(id), Field("parts"), Item(k)];
                let part = *by_name.get(&fold(name)).ok_or_else(|| {
                    (
                        path.clone(),
                        format!("the part \"{name}\" is not in the `artifacts` list"),
                    )
                })?;
                if part == id || !file.artifacts[part].parts.is_empty() {
                    return Err((
                        path,
                        format!(
                            "a part must be an artifact of its own, not \"{}\"",
                            file.artifacts[part].name
                        ),
                    ));
                }
                parts[id].push(part);
                part_of[part].push(id);
            }
        }
        let practices = Chain::practice_names(&file)?;
        let party = |name: &str| file.parties.iter().position(|p| fold(p) == fold(name));
        let mut seen = Vec::new();
        for (i, def) in file.activities.iter().enumerate() {
            let here = vec![Field("activities"), Item(i), Field("activity")];
            if def.activity.is_end() {
                return Err((
                    here,
                    format!(
                        "{} is an end of the stream, not a value chain activity",
                        def.activity
                    ),
                ));
            }
            if seen.contains(&def.activity) {
                return Err((here, format!("{} is described twice", def.activity)));
            }
            seen.push(def.activity);
        }
        if let Some(missing) = Activity::CHAIN.iter().find(|a| !seen.contains(a)) {
            return Err((
                vec![Field("activities")],
                format!("the chain does not describe {missing}"),
            ));
        }
        let node_of = |endpoint: &Endpoint,
                       path: Vec<PathKey>|
         -> Result<Node, (Vec<PathKey>, String)> {
            match endpoint {
                Endpoint::Activity(a) if a.is_end() => Err((
                    path,
                    format!("{a} is an end of the stream; name the parties it stands for instead"),
                )),
                Endpoint::Activity(a) => Ok(Node::Activity(*a)),
                Endpoint::Party(name) => party(name).map(Node::Party).ok_or_else(|| {
                    (
                        path,
                        format!(
                            "unknown party \"{name}\"; the parties are {}",
                            file.parties.join(", ")
                        ),
                    )
                }),
            }
        };
        let end_parties =
            |end: &End, field: &'static str| -> Result<Vec<Node>, (Vec<PathKey>, String)> {
                end.parties
                    .iter()
                    .enumerate()
                    .map(|(k, name)| {
                        node_of(
                            &Endpoint::Party(name.clone()),
                            vec![Field(field), Field("parties"), Item(k)],
                        )
                    })
                    .collect()
            };
        let demand_parties = end_parties(&file.demand, "demand")?;
        let value_parties = end_parties(&file.value, "value")?;

        let mut flows: Vec<ChainFlow> = Vec::new();
        let mut by_flow = HashMap::new();
        for (i, def) in file.activities.iter().enumerate() {
            let here = Node::Activity(def.activity);
            let lines = def
                .inputs
                .iter()
                .map(|l| (Direction::Input, &l.artifact, &l.from, "inputs"))
                .chain(
                    def.outputs
                        .iter()
                        .map(|l| (Direction::Output, &l.artifact, &l.to, "outputs")),
                );
            let mut index_in = [0usize; 2];
            for (direction, artifact_name, others, field) in lines {
                let index = &mut index_in[direction as usize];
                let line = LineRef {
                    activity: def.activity,
                    direction,
                    index: *index,
                    as_part: false,
                };
                let path = |rest: &[PathKey]| {
                    let mut p = vec![Field("activities"), Item(i), Field(field), Item(line.index)];
                    p.extend_from_slice(rest);
                    p
                };
                *index += 1;
                let artifact = *by_name.get(&fold(artifact_name)).ok_or_else(|| {
                    let known = names::nearest(
                        artifact_name,
                        file.artifacts.iter().map(|a| a.name.as_str()),
                        1,
                    );
                    let hint = known
                        .first()
                        .map(|n| format!(" (did you mean \"{n}\"?)"))
                        .unwrap_or_default();
                    (
                        path(&[Field("artifact")]),
                        format!(
                            "the artifact \"{artifact_name}\" is not in the `artifacts` list{hint}"
                        ),
                    )
                })?;
                // The seed's full wording is another name for the artifact (DESIGN.md rule 3).
                let seed = &line_seed(def, direction, line.index);
                match by_name.get(&fold(seed)) {
                    Some(&other) if other != artifact => {
                        return Err((
                            path(&[Field("seed")]),
                            format!(
                                "this wording already names the artifact \"{}\"",
                                file.artifacts[other].name
                            ),
                        ));
                    }
                    _ => {
                        by_name.insert(fold(seed), artifact);
                    }
                }
                for (k, other) in others.iter().enumerate() {
                    let other = node_of(
                        other,
                        path(&[
                            Field(if direction == Direction::Input {
                                "from"
                            } else {
                                "to"
                            }),
                            Item(k),
                        ]),
                    )?;
                    let (from, to) = match direction {
                        Direction::Input => (other, here),
                        Direction::Output => (here, other),
                    };
                    if from == to {
                        return Err((
                            path(&[]),
                            format!("{} cannot send an artifact to itself", def.activity),
                        ));
                    }
                    let flow = *by_flow.entry((artifact, from, to)).or_insert_with(|| {
                        flows.push(ChainFlow {
                            artifact,
                            from,
                            to,
                            stated_by: Vec::new(),
                        });
                        flows.len() - 1
                    });
                    flows[flow].stated_by.push(line);
                }
            }
        }
        // Each part of a joined line travels the line's routes (DESIGN.md rule 7), after
        // every line that names it on its own, so those are quoted first.
        let whole_flows = flows.len();
        for index in 0..whole_flows {
            let (whole, from, to) = (flows[index].artifact, flows[index].from, flows[index].to);
            let lines: Vec<LineRef> = flows[index]
                .stated_by
                .iter()
                .map(|&l| LineRef { as_part: true, ..l })
                .collect();
            for &part in &parts[whole] {
                let flow = *by_flow.entry((part, from, to)).or_insert_with(|| {
                    flows.push(ChainFlow {
                        artifact: part,
                        from,
                        to,
                        stated_by: Vec::new(),
                    });
                    flows.len() - 1
                });
                flows[flow].stated_by.extend(&lines);
            }
        }
        let mut by_pair: HashMap<(Node, Node), Vec<ArtifactId>> = HashMap::new();
        let mut by_artifact = vec![Vec::new(); file.artifacts.len()];
        for (index, flow) in flows.iter().enumerate() {
            by_pair
                .entry((flow.from, flow.to))
                .or_default()
                .push(flow.artifact);
            by_artifact[flow.artifact].push(index);
        }
        Ok(Chain {
            file,
            flows,
            by_name,
            by_flow,
            by_pair,
            by_artifact,
            part_of,
            practices,
            demand_parties,
            value_parties,
        })
    }

    /// Every practice name and alias, folded: the catalogue's, then the activities' lists.
    fn practice_names(file: &ChainFile) -> Result<HashMap<String, usize>, (Vec<PathKey>, String)> {
        use Key::{Field, Item};
        let mut names: HashMap<String, usize> = HashMap::new();
        for (i, practice) in file.practices.iter().enumerate() {
            for (k, name) in std::iter::once(&practice.name)
                .chain(&practice.aliases)
                .enumerate()
            {
                let path = if k == 0 {
                    vec![Field("practices"), Item(i), Field("name")]
                } else {
                    vec![Field("practices"), Item(i), Field("aliases"), Item(k - 1)]
                };
                if let Some(&other) = names.get(&fold(name))
                    && other != i
                {
                    return Err((
                        path,
                        format!(
                            "the name \"{name}\" is already used by the practice \"{}\"",
                            file.practices[other].name
                        ),
                    ));
                }
                names.insert(fold(name), i);
            }
        }
        for def in &file.activities {
            for name in &def.practices {
                names.entry(fold(name)).or_insert(usize::MAX);
            }
        }
        Ok(names)
    }

    // ---- Lookups ----------------------------------------------------------------------

    pub fn artifact_count(&self) -> usize {
        self.file.artifacts.len()
    }

    pub fn artifact_name(&self, id: ArtifactId) -> &str {
        &self.file.artifacts[id].name
    }

    pub fn artifact_aliases(&self, id: ArtifactId) -> &[String] {
        &self.file.artifacts[id].aliases
    }

    /// The artifacts of a line that joins several (DESIGN.md rule 7); empty for most.
    pub fn parts(&self, id: ArtifactId) -> Vec<ArtifactId> {
        self.file.artifacts[id]
            .parts
            .iter()
            .filter_map(|name| self.resolve(name))
            .collect()
    }

    /// The joined lines an artifact is a part of.
    pub fn part_of(&self, id: ArtifactId) -> &[ArtifactId] {
        &self.part_of[id]
    }

    /// The artifact a name stands for: its name, an alias, or the seed wording of one of its
    /// lines, compared after folding case, white space and punctuation.
    pub fn resolve(&self, name: &str) -> Option<ArtifactId> {
        self.by_name.get(&fold(name)).copied()
    }

    /// Known names nearest to an unknown one, for "did you mean".
    pub fn suggest(&self, name: &str, limit: usize) -> Vec<&str> {
        names::nearest(
            name,
            self.file.artifacts.iter().map(|a| a.name.as_str()),
            limit,
        )
    }

    /// Every canonical flow.
    pub fn flows(&self) -> &[ChainFlow] {
        &self.flows
    }

    /// The canonical flow of `artifact` from `from` to `to`, if the chain states one.
    pub fn flow(&self, artifact: ArtifactId, from: Node, to: Node) -> Option<&ChainFlow> {
        self.by_flow
            .get(&(artifact, from, to))
            .map(|&i| &self.flows[i])
    }

    /// The artifacts the chain sends from `from` to `to`, in the chain file's order.
    pub fn artifacts_between(&self, from: Node, to: Node) -> &[ArtifactId] {
        self.by_pair.get(&(from, to)).map_or(&[], Vec::as_slice)
    }

    /// Every canonical flow of one artifact: where it can go.
    pub fn routes(&self, artifact: ArtifactId) -> impl Iterator<Item = &ChainFlow> {
        self.by_artifact[artifact].iter().map(|&i| &self.flows[i])
    }

    pub fn activity(&self, activity: Activity) -> Option<&ActivityDef> {
        self.file.activities.iter().find(|d| d.activity == activity)
    }

    /// The seed line behind a reference.
    pub fn line(&self, line: LineRef) -> (&str, &str) {
        let def = self
            .activity(line.activity)
            .expect("line refs come from this chain");
        match line.direction {
            Direction::Input => (
                &def.inputs[line.index].artifact,
                &def.inputs[line.index].seed,
            ),
            Direction::Output => (
                &def.outputs[line.index].artifact,
                &def.outputs[line.index].seed,
            ),
        }
    }

    /// "seed 001, 5.3 Plan output: “Portfolio decisions for design and transition”"; a line
    /// that states a part of what it joins says so: "sent as part of “...”: seed 001 ...".
    pub fn quote(&self, line: LineRef) -> String {
        let quoted = self.quote_line(line);
        if line.as_part {
            format!("sent as part of \"{}\": {quoted}", self.line(line).0)
        } else {
            quoted
        }
    }

    /// The seed line alone, without "sent as part of".
    pub fn quote_line(&self, line: LineRef) -> String {
        let section = self
            .activity(line.activity)
            .map_or("", |d| d.section.as_str());
        let side = match line.direction {
            Direction::Input => "input",
            Direction::Output => "output",
        };
        format!(
            "seed 001 {section} {} {side}: \"{}\"",
            line.activity,
            self.line(line).1
        )
    }

    pub fn node_name(&self, node: Node) -> &str {
        match node {
            Node::Activity(a) => a.name(),
            Node::Party(i) => &self.file.parties[i],
        }
    }

    /// The parties whose input Demand stands for (customers and users in seed 001).
    pub fn demand_parties(&self) -> &[Node] {
        &self.demand_parties
    }

    /// The parties Value is delivered to.
    pub fn value_parties(&self) -> &[Node] {
        &self.value_parties
    }

    /// What a step of this kind stands for as the source of a flow. Value stands for the
    /// customers and users who received the value: what they send (feedback, requests) may
    /// flow out of it (DESIGN.md rule 6).
    pub fn source_nodes(&self, activity: Activity) -> Vec<Node> {
        match activity {
            Activity::Demand => self.demand_parties.clone(),
            Activity::Value => self.value_parties.clone(),
            a => vec![Node::Activity(a)],
        }
    }

    /// What a step of this kind stands for as the target of a flow. Nothing flows into Demand.
    pub fn target_nodes(&self, activity: Activity) -> Vec<Node> {
        match activity {
            Activity::Value => self.value_parties.clone(),
            Activity::Demand => Vec::new(),
            a => vec![Node::Activity(a)],
        }
    }

    // ---- Practices ----------------------------------------------------------------------

    /// Whether a practice name (or an alias) is one the chain knows.
    pub fn knows_practice(&self, name: &str) -> bool {
        self.practices.contains_key(&fold(name))
    }

    /// The catalogue entry of a practice name or alias ("SACM" is "Service configuration
    /// management"), when the chain has a catalogue.
    pub fn practice(&self, name: &str) -> Option<&PracticeDef> {
        self.practices
            .get(&fold(name))
            .and_then(|&i| self.file.practices.get(i))
    }

    /// Every practice name the chain knows (catalogue names first, then names only the
    /// activities' lists give), for suggestions.
    pub fn practice_names_known(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .file
            .practices
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        for def in &self.file.activities {
            for name in &def.practices {
                if !names.iter().any(|n| fold(n) == fold(name)) {
                    names.push(name);
                }
            }
        }
        names
    }

    /// Whether seed 003 lists the practice as typical for the activity (aliases count).
    pub fn is_typical(&self, activity: Activity, practice: &str) -> bool {
        let wanted = self.practice(practice).map(|p| fold(&p.name));
        let wanted = wanted.unwrap_or_else(|| fold(practice));
        self.activity(activity).is_some_and(|def| {
            def.practices.iter().any(|p| {
                let p = self.practice(p).map_or_else(|| fold(p), |d| fold(&d.name));
                p == wanted
            })
        })
    }

    /// The practices to offer for a step of this activity: the typical ones first (seed
    /// 003's list, in its order), then every other practice the chain knows, by name.
    pub fn practices_for(&self, activity: Activity) -> Vec<&str> {
        let mut typical: Vec<&str> = self
            .activity(activity)
            .map(|d| d.practices.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let mut rest: Vec<&str> = self
            .practice_names_known()
            .into_iter()
            .filter(|n| !self.is_typical(activity, n))
            .collect();
        rest.sort_by_key(|n| n.to_lowercase());
        typical.append(&mut rest);
        typical
    }

    /// How the chain's side of an end or activity is named in messages.
    pub fn describe_end(&self, activity: Activity) -> String {
        let parties = |nodes: &[Node]| {
            nodes
                .iter()
                .map(|&n| self.node_name(n).to_lowercase())
                .collect::<Vec<_>>()
                .join(" and ")
        };
        match activity {
            Activity::Demand => format!("Demand (input from {})", parties(&self.demand_parties)),
            Activity::Value => format!("Value (delivered to {})", parties(&self.value_parties)),
            a => a.name().to_string(),
        }
    }
}

/// A path into the chain file, for pointing errors at the right place.
type PathKey = Key<'static>;
