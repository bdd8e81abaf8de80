package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/csv"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// The two identities of the token file. The admin is in system:masters, which kube-apiserver
// authorizes before RBAC is consulted; the limited user has no groups besides the implicit
// system:authenticated, so under --rbac it can do nothing until a test grants it a Role.
const (
	adminUser = "localkube-admin"
	limitUser = "mesh-exp"
)

// credentials are the files and tokens that must survive a restart unchanged.
type credentials struct {
	tokenFile         string
	serviceAccountKey string
	adminToken        string
	userToken         string
}

// prepareCredentials creates DIR/tokens.csv and DIR/certs/sa.key on the first start and reads
// them back on later ones (same tokens, so kubeconfigs written earlier keep working).
func prepareCredentials(dir string) (credentials, error) {
	c := credentials{
		tokenFile:         filepath.Join(dir, "tokens.csv"),
		serviceAccountKey: filepath.Join(dir, "certs", "sa.key"),
	}
	if err := os.MkdirAll(filepath.Dir(c.serviceAccountKey), 0o700); err != nil {
		return c, err
	}
	if err := ensureTokens(&c); err != nil {
		return c, fmt.Errorf("token file: %w", err)
	}
	if _, err := os.Stat(c.serviceAccountKey); errors.Is(err, os.ErrNotExist) {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return c, err
		}
		block := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}
		if err := os.WriteFile(c.serviceAccountKey, pem.EncodeToMemory(block), 0o600); err != nil {
			return c, err
		}
	} else if err != nil {
		return c, err
	}
	return c, nil
}

// ensureTokens reads the static token file (kube-apiserver's format: token,user,uid[,"groups"])
// or writes a new one with fresh random tokens.
func ensureTokens(c *credentials) error {
	if f, err := os.Open(c.tokenFile); err == nil {
		defer f.Close()
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			return err
		}
		for _, row := range rows {
			if len(row) < 2 {
				continue
			}
			switch row[1] {
			case adminUser:
				c.adminToken = row[0]
			case limitUser:
				c.userToken = row[0]
			}
		}
		if c.adminToken == "" || c.userToken == "" {
			return fmt.Errorf("%s lacks %s or %s; remove the data directory to start afresh", c.tokenFile, adminUser, limitUser)
		}
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	c.adminToken, c.userToken = randomToken(), randomToken()
	rows := fmt.Sprintf("%s,%s,%s,\"system:masters\"\n%s,%s,%s\n",
		c.adminToken, adminUser, "uid-"+adminUser, c.userToken, limitUser, "uid-"+limitUser)
	return os.WriteFile(c.tokenFile, []byte(rows), 0o600)
}

func randomToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return hex.EncodeToString(b)
}

// writeKubeconfigs writes DIR/admin.kubeconfig and DIR/user.kubeconfig: one cluster (the serving
// cert's CA bundle inline, so the files are self-contained), token auth, namespace default.
func writeKubeconfigs(dir, server string, ca []byte, c credentials) error {
	for _, k := range []struct{ file, context, user, token string }{
		{"admin.kubeconfig", "localkube-admin", adminUser, c.adminToken},
		{"user.kubeconfig", "localkube-user", limitUser, c.userToken},
	} {
		cfg := clientcmdapi.NewConfig()
		cfg.Clusters["localkube"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: ca}
		cfg.AuthInfos[k.user] = &clientcmdapi.AuthInfo{Token: k.token}
		cfg.Contexts[k.context] = &clientcmdapi.Context{Cluster: "localkube", AuthInfo: k.user, Namespace: "default"}
		cfg.CurrentContext = k.context
		// Write to a temporary name and rename, so a reader never sees half a file.
		path := filepath.Join(dir, k.file)
		if err := clientcmd.WriteToFile(*cfg, path+".tmp"); err != nil {
			return err
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			return err
		}
	}
	return nil
}
